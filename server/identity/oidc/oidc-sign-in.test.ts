import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startIdentityFixture, type IdentityFixture } from '../../testing/identity-fixture.js'
import { TEST_PASSWORD } from '../../testing/test-app.js'

const KIM = { email: 'kim@example.com', email_verified: true, name: 'Kim Provider', groups: ['sales'] }

describe('signing in with the identity provider', () => {
  let f: IdentityFixture
  beforeAll(async () => {
    f = await startIdentityFixture({
      accounts: {
        'kim-sub': KIM,
        'lee-sub': {
          email: 'lee@example.com',
          email_verified: true,
          name: 'Lee New',
          groups: ['crm-admins'],
        },
        'max-sub': { email: 'max@example.com', email_verified: false, name: 'Max' },
        'eve-sub': { email: 'eve@other.example', email_verified: true, name: 'Eve' },
        'kim-twin': { ...KIM, name: 'Someone else with Kim’s address' },
      },
    })
  })
  afterAll(() => f.close())

  const users = () => f.t.database.db.selectFrom('users').select(['email', 'role']).orderBy('email').execute()

  it('offers the button on the login page and links an existing account once, by verified email', async () => {
    const options = await f.t.anonymous().request({ method: 'GET', url: '/api/auth/oidc' })
    expect(options.json()).toEqual({
      oidc: { displayName: 'Test IdP', startUrl: '/api/auth/oidc/start' },
      ssoOnly: false,
    })
    const kim = await f.t.createUser({ email: 'kim@example.com', name: 'Kim Local' })

    const first = await f.signInWithProvider('kim-sub', { next: '/portal/crm/opportunities' })
    expect(first.location).toBe('/portal/crm/opportunities')
    const client = await f.clientWith(first.sessionCookie ?? '')
    expect(client.session?.user).toMatchObject({ id: kim.id, email: 'kim@example.com', role: 'member' })

    const again = await f.signInWithProvider('kim-sub')
    expect(again.location).toBe('/')
    const links = await f.t.database.db.selectFrom('identity_links').selectAll().execute()
    expect(links).toEqual([expect.objectContaining({ subject: 'kim-sub', user_id: kim.id })])
    const actions = await f.t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('target_id', '=', kim.id)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => [a.action, a.details['how']])).toEqual([
      ['identity.oidc.linked', undefined],
      ['identity.oidc.signed_in', 'linked'],
      ['identity.oidc.signed_in', 'returning'],
    ])

    // Another identity at the provider with the same verified address does not take the account over.
    const twin = await f.signInWithProvider('kim-twin')
    expect(twin).toEqual({ location: '/login?ssoError=already_linked', sessionCookie: undefined })
  })

  it('refuses an unverified email, a foreign domain and, with just-in-time creation off, strangers', async () => {
    await f.t.createUser({ email: 'max@example.com' })
    const before = await users()
    expect((await f.signInWithProvider('max-sub')).location).toBe('/login?ssoError=email_not_verified')
    expect((await f.signInWithProvider('lee-sub')).location).toBe('/login?ssoError=no_account')
    expect((await f.saveSettings({ allowedDomains: ['example.com'], jitEnabled: true })).statusCode).toBe(200)
    expect((await f.signInWithProvider('eve-sub')).location).toBe('/login?ssoError=domain_not_allowed')
    expect(await users()).toEqual(before)

    const view = (await f.admin.request({ method: 'GET', url: '/api/admin/identity/oidc' })).json()
    expect(view.recentFailures[0]).toMatchObject({
      reason: 'domain_not_allowed',
      message: expect.stringContaining('other.example'),
      hint: expect.stringContaining('Allowed email domains'),
    })
    expect(view.recentFailures.map((failure: { reason: string }) => failure.reason)).toEqual([
      'domain_not_allowed',
      'no_account',
      'email_not_verified',
      'already_linked',
    ])
  })

  it('creates accounts just in time, makes admin-group members admins, and follows the group at each sign-in', async () => {
    await f.saveSettings({ jitEnabled: true, adminGroup: 'CRM-Admins', allowedDomains: [] })
    const lee = await f.signInWithProvider('lee-sub')
    expect(lee.location).toBe('/')
    const leeClient = await f.clientWith(lee.sessionCookie ?? '')
    expect(leeClient.session?.user).toMatchObject({
      email: 'lee@example.com',
      name: 'Lee New',
      role: 'admin',
    })
    const created = await f.t.database.db
      .selectFrom('users')
      .select(['password_hash'])
      .where('email', '=', 'lee@example.com')
      .executeTakeFirstOrThrow()
    expect(created.password_hash).toBeNull()

    f.idp.accounts.set('lee-sub', { ...f.idp.accounts.get('lee-sub'), groups: ['sales'] })
    const demoted = await f.clientWith((await f.signInWithProvider('lee-sub')).sessionCookie ?? '')
    expect(demoted.session?.user?.role).toBe('member')
    const change = await f.t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'identity.role_changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(change.details).toEqual({ from: 'admin', to: 'member', via: 'oidc' })
  })

  it('ends the session and hands back the provider logout URL, which the provider accepts', async () => {
    const signedIn = await f.signInWithProvider('kim-sub')
    const client = await f.clientWith(signedIn.sessionCookie ?? '')
    const response = await client.request({ method: 'POST', url: '/api/auth/oidc/logout' })
    expect(response.statusCode).toBe(200)
    const url = new URL(response.json().redirectUrl)
    expect(`${url.origin}${url.pathname}`).toBe(`${f.idp.issuer}/session/end`)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:3999/login')
    expect(url.searchParams.get('id_token_hint')).toMatch(/^ey/)
    expect((await client.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(401)
    expect((await f.idp.confirmLogout(url.href)).href).toBe('http://127.0.0.1:3999/login')

    // A password session has no provider session to end.
    const local = await f.t.signIn('root@example.com')
    expect((await local.request({ method: 'POST', url: '/api/auth/oidc/logout' })).json()).toEqual({
      redirectUrl: null,
    })
  })

  it('with SSO only, refuses passwords for everyone but the break-glass admin', async () => {
    const root = await f.t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'root@example.com')
      .executeTakeFirstOrThrow()
    const missing = await f.saveSettings({ ssoOnly: true, breakGlassUserId: null })
    expect(missing.statusCode).toBe(400)
    expect(Object.keys(missing.json().error.fields)).toEqual(['breakGlassUserId'])

    expect((await f.saveSettings({ ssoOnly: true, breakGlassUserId: root.id })).statusCode).toBe(200)
    expect((await f.t.anonymous().request({ method: 'GET', url: '/api/auth/oidc' })).json().ssoOnly).toBe(
      true,
    )
    const member = await f.t.createUser({ email: 'pat@example.com' })
    const refused = await f.t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: member.email, password: TEST_PASSWORD },
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error).toMatchObject({
      code: 'SSO_REQUIRED',
      message: expect.stringContaining('Test IdP'),
    })
    // A wrong password is still just a wrong password: nobody learns who the break-glass admin is.
    const wrong = await f.t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: member.email, password: 'not the password' },
    })
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS')
    await f.t.signIn('root@example.com')
    expect((await f.signInWithProvider('kim-sub')).sessionCookie).toBeDefined()
    await f.saveSettings({ ssoOnly: false })
  })

  it('keeps the client secret write-only, sealed, and bound to the issuer and client id it was entered for', async () => {
    const view = await f.admin.request({ method: 'GET', url: '/api/admin/identity/oidc' })
    expect(view.body).not.toContain('client-secret-for-tests')
    expect(view.json().settings).toMatchObject({ hasClientSecret: true, clientId: 'crm' })
    const row = await f.t.database.db
      .selectFrom('identity_oidc_settings')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain('client-secret-for-tests')

    const { clientSecret: _typed, ...withoutSecret } = f.settings
    expect(
      (await f.admin.request({ method: 'PUT', url: '/api/admin/identity/oidc', payload: withoutSecret }))
        .statusCode,
    ).toBe(200)
    const kept = await f.t.database.db
      .selectFrom('identity_oidc_settings')
      .selectAll()
      .executeTakeFirstOrThrow()
    const moved = await f.admin.request({
      method: 'PUT',
      url: '/api/admin/identity/oidc',
      payload: { ...withoutSecret, issuer: 'https://attacker.example' },
    })
    expect(moved.statusCode).toBe(400)
    expect(moved.json().error.fields.clientSecret).toMatch(
      /only sent to the issuer and client id it was entered for/,
    )

    const unreachable = await f.saveSettings({ issuer: 'http://127.0.0.1:9/nothing', clientSecret: 'x' })
    expect(unreachable.statusCode).toBe(400)
    expect(unreachable.json().error.fields.issuer).toMatch(/discovery document/)
    const plainHttp = await f.saveSettings({ issuer: 'http://idp.example.com', clientSecret: 'x' })
    expect(plainHttp.json().error.fields.issuer).toMatch(/https/)
    expect(
      await f.t.database.db.selectFrom('identity_oidc_settings').selectAll().executeTakeFirstOrThrow(),
    ).toEqual(kept)

    // A wrong secret is the provider's invalid_client, with the hint to enter it again.
    await f.saveSettings({ clientSecret: 'not-the-secret' })
    expect((await f.signInWithProvider('kim-sub')).location).toBe('/login?ssoError=provider_error')
    const view2 = (await f.admin.request({ method: 'GET', url: '/api/admin/identity/oidc' })).json()
    expect(view2.recentFailures[0].hint).toMatch(/enter the client secret again/)
    await f.saveSettings({ clientSecret: 'client-secret-for-tests-0123456789' })
  })
})
