// Bad input and bad credentials at /scim/v2: each answer is the SCIM error body (RFC 7644 §3.12) with the
// status and scimType the RFC names, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startScimFixture, type ScimFixture } from '../../testing/scim-fixture.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

describe('SCIM tokens and errors', () => {
  let f: ScimFixture
  beforeAll(async () => {
    f = await startScimFixture()
  })
  afterAll(() => f.close())

  const counts = async () => ({
    users: (await f.t.database.db.selectFrom('users').select('id').execute()).length,
    scim: await f.t.database.db.selectFrom('scim_users').selectAll().execute(),
    groups: await f.t.database.db.selectFrom('scim_groups').selectAll().execute(),
  })

  it('accepts only a live bearer token: no session cookie, no unknown or revoked token', async () => {
    const listed = await f.scim('GET', '/Users')
    expect(listed.statusCode).toBe(200)
    expect(listed.headers['cache-control']).toBe('no-store')
    const withCookie = await f.admin.request({ method: 'GET', url: '/scim/v2/Users' })
    expect(withCookie.statusCode).toBe(401)
    expect(withCookie.headers['www-authenticate']).toBe('Bearer realm="scim"')
    expect(withCookie.headers['cache-control']).toBe('no-store')
    expect(withCookie.json()).toEqual({
      schemas: [ERROR],
      status: '401',
      detail: expect.stringContaining('Bearer'),
    })
    const wrong = await f.t.app.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: 'Bearer crmscim_from-another-instance' },
    })
    expect(wrong.json().detail).toMatch(/unknown or was revoked/)

    const tokens = (await f.admin.request({ method: 'GET', url: '/api/admin/identity/scim/tokens' })).json()
    expect(tokens.baseUrl).toBe('http://localhost:0/scim/v2')
    expect(JSON.stringify(tokens)).not.toContain(f.token)
    expect(tokens.tokens).toEqual([
      expect.objectContaining({
        name: 'Identity provider',
        createdBy: 'IT Admin',
        lastUsedAt: expect.any(String),
        revokedAt: null,
      }),
    ])
    const stored = await f.t.database.db
      .selectFrom('scim_tokens')
      .select('token_hash')
      .executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(f.token)

    const second = (
      await f.admin.request({
        method: 'POST',
        url: '/api/admin/identity/scim/tokens',
        payload: { name: 'Entra' },
      })
    ).json()
    const revoked = await f.admin.request({
      method: 'DELETE',
      url: `/api/admin/identity/scim/tokens/${second.scimToken.id}`,
    })
    expect(revoked.json().scimToken.revokedAt).toEqual(expect.any(String))
    const afterRevoke = await f.t.app.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${second.token}` },
    })
    expect(afterRevoke.statusCode).toBe(401)
    expect((await f.scim('GET', '/Users')).statusCode).toBe(200)
  })

  it('names unknown filter attributes and malformed filters invalidFilter', async () => {
    for (const filter of [
      'password eq "x"',
      'userName bogus "x"',
      'userName eq "x" and',
      'userName eq',
      'active eq "maybe"',
    ]) {
      const response = await f.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      expect({ filter, status: response.statusCode, scimType: response.json().scimType }).toEqual({
        filter,
        status: 400,
        scimType: 'invalidFilter',
      })
    }
    const groups = await f.scim('GET', `/Groups?filter=${encodeURIComponent('owner eq "x"')}`)
    expect(groups.json().detail).toMatch(/Filtering on "owner" is not supported/)
  })

  it('refuses a duplicate userName with uniqueness, and bad bodies, changing nothing', async () => {
    const before = await counts()
    const duplicate = await f.scim('POST', '/Users', { schemas: [USER], userName: 'IT-Admin@example.com' })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json()).toMatchObject({ status: '409', scimType: 'uniqueness' })
    const noUserName = await f.scim('POST', '/Users', { schemas: [USER], displayName: 'Nobody' })
    expect(noUserName.json()).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringContaining('userName'),
    })
    const noEmail = await f.scim('POST', '/Users', { schemas: [USER], userName: 'not-an-address' })
    expect(noEmail.json()).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringContaining('emails'),
    })
    const badJson = await f.t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/scim+json' },
      payload: '{"userName":',
    })
    expect(badJson.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' })
    const badMember = await f.scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Ghosts',
      members: [{ value: '00000000-0000-4000-8000-000000000000' }],
    })
    expect(badMember.json()).toMatchObject({ status: '400', scimType: 'invalidValue' })
    expect(await counts()).toEqual(before)
  })

  it('refuses malformed PATCH paths and ops with invalidPath and invalidSyntax, changing nothing', async () => {
    const created = await f.scim('POST', '/Users', { schemas: [USER], userName: 'pat@example.com' })
    const id = created.json().id
    const before = await counts()
    const cases: Array<[unknown, string]> = [
      [{ op: 'replace', path: 'name.nonsense', value: 'x' }, 'invalidPath'],
      [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }, 'invalidPath'],
      [{ op: 'move', path: 'name', value: 'x' }, 'invalidSyntax'],
    ]
    for (const [operation, scimType] of cases) {
      const response = await f.scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Replace', path: 'displayName', value: 'Changed first' }, operation],
      })
      expect({ operation, status: response.statusCode, scimType: response.json().scimType }).toEqual({
        operation,
        status: 400,
        scimType,
      })
    }
    const notPatch = await f.scim('PATCH', `/Users/${id}`, { Operations: [] })
    expect(notPatch.json().scimType).toBe('invalidSyntax')
    expect(await counts()).toEqual(before)
    expect((await f.scim('GET', `/Users/${id}`)).json().displayName).toBe('pat@example.com')
    expect((await f.scim('GET', '/Users/not-a-uuid')).json()).toMatchObject({ status: '404' })
  })

  it('will not let the provider deactivate the last active admin', async () => {
    const admin = await f.t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'it-admin@example.com')
      .executeTakeFirstOrThrow()
    const response = await f.scim('PATCH', `/Users/${admin.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    })
    expect(response.json()).toMatchObject({
      status: '400',
      scimType: 'mutability',
      detail: expect.stringContaining('last active admin'),
    })
    expect((await f.admin.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(200)
  })

  it('pages with startIndex and count, and describes itself', async () => {
    for (let i = 0; i < 4; i += 1)
      await f.scim('POST', '/Users', { schemas: [USER], userName: `page${i}@example.com` })
    const all = (await f.scim('GET', '/Users?count=200')).json()
    const page = (await f.scim('GET', '/Users?startIndex=2&count=2')).json()
    expect(page).toMatchObject({ totalResults: all.totalResults, startIndex: 2, itemsPerPage: 2 })
    expect(page.Resources.map((r: { id: string }) => r.id)).toEqual(
      all.Resources.slice(1, 3).map((r: { id: string }) => r.id),
    )
    const countOnly = (await f.scim('GET', '/Users?startIndex=0&count=0')).json()
    expect(countOnly).toMatchObject({
      totalResults: all.totalResults,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    })
    expect((await f.scim('GET', '/Users?count=many')).json().scimType).toBe('invalidValue')
    const projected = (await f.scim('GET', '/Users?attributes=userName&count=1')).json().Resources[0]
    expect(Object.keys(projected).sort()).toEqual(['id', 'meta', 'schemas', 'userName'])

    const config = (await f.scim('GET', '/ServiceProviderConfig')).json()
    expect(config).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
    })
    const types = (await f.scim('GET', '/ResourceTypes')).json()
    expect(types.Resources.map((t: { id: string }) => t.id)).toEqual(['User', 'Group'])
    const schemas = (await f.scim('GET', '/Schemas')).json()
    expect(schemas.Resources.map((s: { id: string }) => s.id)).toEqual([
      USER,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ])
    expect(
      (await f.scim('GET', `/Schemas/${USER}`)).json().attributes.map((a: { name: string }) => a.name),
    ).toContain('userName')
    expect((await f.scim('GET', '/Nothing')).json()).toMatchObject({ status: '404' })
  })
})
