// Okta's provisioning sequence, replayed as Okta sends it (request shapes from Okta's "SCIM 2.0 protocol
// reference", https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20): the connection test,
// the existence check by userName, create, read, a full PUT update (custom "AIW" apps), deactivation and
// reactivation by PATCH (catalogue apps), and Group Push with member add and remove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { startScimFixture, type ScimFixture } from '../../testing/scim-fixture.js'
import { TEST_PASSWORD } from '../../testing/test-app.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

describe('Okta provisioning', () => {
  let f: ScimFixture
  beforeAll(async () => {
    f = await startScimFixture()
    // Admin group configured, sign-in with the provider still off: roles follow SCIM groups.
    const saved = await f.admin.request({
      method: 'PUT',
      url: '/api/admin/identity/oidc',
      payload: {
        enabled: false,
        displayName: 'Okta',
        issuer: 'https://example.okta.com',
        clientId: 'crm',
        clientSecret: 'secret',
        scopes: 'openid email profile',
        emailClaim: 'email',
        nameClaim: 'name',
        groupsClaim: 'groups',
        allowedDomains: [],
        jitEnabled: false,
        adminGroup: 'CRM Admins',
        ssoOnly: false,
        breakGlassUserId: null,
      },
    })
    expect(saved.statusCode).toBe(200)
  })
  afterAll(() => f.close())

  it('passes the connection test and finds nobody yet', async () => {
    const test = await f.scim('GET', '/Users?startIndex=1&count=2')
    expect(test.statusCode).toBe(200)
    expect(test.headers['content-type']).toMatch(/^application\/scim\+json/)
    expect(test.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
    })
    const lookup = await f.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
    )
    expect(lookup.json()).toMatchObject({ totalResults: 0, Resources: [] })
  })

  it('creates, reads and updates a user with a full PUT, keeping what Okta sent', async () => {
    const created = await f.scim('POST', '/Users', {
      schemas: [USER],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    })
    expect(created.statusCode).toBe(201)
    const user = created.json()
    expect(created.headers.location).toBe(`http://localhost:0/scim/v2/Users/${user.id}`)
    expect(user).toMatchObject({
      schemas: [USER],
      userName: 'test.user@okta.local',
      externalId: '00ujl29u0le5T6Aj10h7',
      name: { givenName: 'Test', familyName: 'User' },
      locale: 'en-US',
      displayName: 'Test User',
      active: true,
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      meta: { resourceType: 'User' },
    })
    expect(JSON.stringify(user)).not.toContain('1mz050nq')
    expect((await f.scim('GET', `/Users/${user.id}`)).json()).toEqual(user)

    const put = await f.scim('PUT', `/Users/${user.id}`, {
      ...user,
      name: { givenName: 'Tess', familyName: 'User' },
      displayName: 'Tess User',
      active: true,
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ displayName: 'Tess User', name: { givenName: 'Tess' }, active: true })
    const row = await f.t.database.db
      .selectFrom('users')
      .select(['name', 'email', 'role', 'is_active', 'password_hash'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({
      name: 'Tess User',
      email: 'test.user@okta.local',
      role: 'member',
      is_active: true,
      password_hash: null,
    })
  })

  it('deactivates a leaver at once, keeps their assignments, and reactivation gives them back', async () => {
    const kim = await f.t.createUser({ email: 'kim@okta.local', name: 'Kim' })
    const connection = await makeConnection(f.t.database.db)
    const deal = await makeOpportunity(f.t.database.db, connection.id)
    await assignManually(f.t.database.db, kim.id, [deal.id])
    await setCrmModuleEnabled(f.t.database.db, true)
    const kimSession = await f.t.signIn(kim.email)

    // Okta imports existing accounts by userName: the local account is found by its email.
    const found = await f.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "kim@okta.local"')}`)
    expect(found.json().Resources.map((r: { id: string }) => r.id)).toEqual([kim.id])

    const off = await f.scim('PATCH', `/Users/${kim.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    })
    expect(off.statusCode).toBe(200)
    expect(off.json().active).toBe(false)
    const after = await kimSession.request({ method: 'GET', url: '/api/modules' })
    expect(after.statusCode).toBe(401)
    expect(
      await f.t.database.db.selectFrom('sessions').where('user_id', '=', kim.id).selectAll().execute(),
    ).toEqual([])
    await expect(f.t.signIn(kim.email)).rejects.toThrow(/403/)
    const picker = await f.admin.request({ method: 'GET', url: '/api/admin/crm/assignable-users?search=kim' })
    expect(picker.json().users).toEqual([])
    const members = await f.admin.request({
      method: 'GET',
      url: `/api/admin/crm/opportunities/${deal.id}/members`,
    })
    expect(members.json().members).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: kim.id, isActive: false }) }),
    ])

    const on = await f.scim('PATCH', `/Users/${kim.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    })
    expect(on.json().active).toBe(true)
    const back = await f.t.signIn(kim.email, TEST_PASSWORD)
    const detail = await back.request({ method: 'GET', url: `/api/crm/opportunities/${deal.id}` })
    expect(detail.statusCode).toBe(200)
    expect(detail.body).toContain(deal.id)
    const audit = await f.t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('target_id', '=', kim.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['user.deactivated', 'user.reactivated'])
    expect(audit[0]?.details).toMatchObject({ via: 'scim', email: 'kim@okta.local' })
  })

  it('pushes a group: its members become admins while they are in it', async () => {
    const lee = await f.t.createUser({ email: 'lee@okta.local', name: 'Lee' })
    const created = await f.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'CRM Admins',
      members: [],
    })
    expect(created.statusCode).toBe(201)
    const group = created.json()
    expect(group).toMatchObject({ schemas: [GROUP], displayName: 'CRM Admins', members: [] })

    const add = await f.scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: lee.id, display: 'lee@okta.local' }] }],
    })
    expect(add.json().members).toEqual([
      { value: lee.id, display: 'Lee', $ref: `http://localhost:0/scim/v2/Users/${lee.id}` },
    ])
    const role = async () =>
      (
        await f.t.database.db
          .selectFrom('users')
          .select('role')
          .where('id', '=', lee.id)
          .executeTakeFirstOrThrow()
      ).role
    expect(await role()).toBe('admin')
    const leeUser = (await f.scim('GET', `/Users/${lee.id}`)).json()
    expect(leeUser.groups).toEqual([expect.objectContaining({ value: group.id, display: 'CRM Admins' })])

    const renamed = await f.scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'CRM Admins' } }],
    })
    expect(renamed.statusCode).toBe(200)
    const removed = await f.scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${lee.id}"]` }],
    })
    expect(removed.json().members).toEqual([])
    expect(await role()).toBe('member')

    const listed = await f.scim('GET', '/Groups?count=100&startIndex=1')
    expect(listed.json()).toMatchObject({
      totalResults: 1,
      Resources: [expect.objectContaining({ id: group.id })],
    })
    expect((await f.scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204)
    expect((await f.scim('GET', `/Groups/${group.id}`)).statusCode).toBe(404)
  })
})
