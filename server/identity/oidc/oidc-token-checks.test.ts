// The ID token checks of OpenID Connect Core §3.1.3.7, against a real provider that rotates its keys and,
// through the test provider's hook, sends tokens a hostile or broken provider would: another audience,
// another issuer (tenant), an expired token, another nonce, a key it no longer publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startIdentityFixture, type IdentityFixture } from '../../testing/identity-fixture.js'
import { manualClock } from '../../testing/test-app.js'

describe('ID token checks', () => {
  const clock = manualClock(new Date())
  let f: IdentityFixture
  beforeAll(async () => {
    f = await startIdentityFixture({
      clock,
      accounts: { 'ann-sub': { email: 'ann@example.com', email_verified: true, name: 'Ann' } },
    })
    await f.saveSettings({ jitEnabled: true })
  })
  afterAll(() => f.close())

  const sessionCount = async () =>
    Number(
      (
        await f.t.database.db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  const lastRefusal = async () =>
    (
      await f.t.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'identity.oidc.sign_in_refused')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).details

  it('follows a key rotation at once, with or without the old key still published', async () => {
    expect((await f.signInWithProvider('ann-sub')).sessionCookie).toBeDefined()
    f.idp.rotateKeys({ keepOld: true })
    expect((await f.signInWithProvider('ann-sub')).sessionCookie).toBeDefined()
    f.idp.rotateKeys({ keepOld: false })
    expect((await f.signInWithProvider('ann-sub')).sessionCookie).toBeDefined()
  })

  it('refuses a token signed with a key the provider retired, or never published', async () => {
    const before = await sessionCount()
    f.idp.tamperNextIdToken((claims) => ({ claims, signWith: 'retired' }))
    expect((await f.signInWithProvider('ann-sub')).location).toBe('/login?ssoError=token_rejected')
    expect(await lastRefusal()).toMatchObject({
      reason: 'token_rejected',
      detail: expect.stringContaining('KEY_SELECTION'),
    })
    f.idp.tamperNextIdToken((claims) => ({ claims, signWith: 'unknown' }))
    expect((await f.signInWithProvider('ann-sub')).location).toBe('/login?ssoError=token_rejected')
    expect(await sessionCount()).toBe(before)
  })

  it('refuses a token for another audience, from another issuer, for another nonce, or expired', async () => {
    const before = await sessionCount()
    const cases: Array<[string, (claims: Record<string, unknown>) => Record<string, unknown>, RegExp]> = [
      ['audience', (c) => ({ ...c, aud: 'some-other-app' }), /aud/],
      ['issuer', (c) => ({ ...c, iss: 'https://login.example.com/another-tenant/v2.0' }), /iss/],
      ['nonce', (c) => ({ ...c, nonce: 'replayed-nonce' }), /nonce/],
      [
        'expiry',
        (c) => ({
          ...c,
          iat: Math.floor(Date.now() / 1000) - 7200,
          exp: Math.floor(Date.now() / 1000) - 3600,
        }),
        /TIMESTAMP|exp/,
      ],
    ]
    for (const [what, change, detail] of cases) {
      f.idp.tamperNextIdToken((claims) => ({ claims: change(claims) }))
      const result = await f.signInWithProvider('ann-sub')
      expect({ what, location: result.location }).toEqual({
        what,
        location: '/login?ssoError=token_rejected',
      })
      expect(String((await lastRefusal())['detail'])).toMatch(detail)
    }
    expect(await sessionCount()).toBe(before)
  })

  it("checks expiry on the app's clock", async () => {
    clock.advance(2 * 3_600_000)
    try {
      expect((await f.signInWithProvider('ann-sub')).location).toBe('/login?ssoError=token_rejected')
    } finally {
      clock.advance(-2 * 3_600_000)
    }
    expect((await f.signInWithProvider('ann-sub')).sessionCookie).toBeDefined()
  })

  it('refuses a callback without the state cookie of the browser that started, and a replayed one', async () => {
    const start = await f.t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' })
    const state = start.cookies.find((c) => c.name === 'crm_oidc_state')?.value ?? ''
    const back = await f.idp.signIn(String(start.headers.location), 'ann-sub')
    const url = back.pathname + back.search
    const otherBrowser = await f.t.app.inject({ method: 'GET', url })
    expect(otherBrowser.headers.location).toBe('/login?ssoError=state_mismatch')
    // The first try used up nothing: the state was never matched. The right browser gets in once.
    const right = await f.t.app.inject({ method: 'GET', url, cookies: { crm_oidc_state: state } })
    expect(right.headers.location).toBe('/')
    const replay = await f.t.app.inject({ method: 'GET', url, cookies: { crm_oidc_state: state } })
    expect(replay.headers.location).toBe('/login?ssoError=state_mismatch')

    const denied = await f.t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback?error=access_denied&error_description=User+not+assigned&state=${state}`,
      cookies: { crm_oidc_state: state },
    })
    expect(denied.headers.location).toBe('/login?ssoError=provider_error')
    expect(await lastRefusal()).toMatchObject({
      detail: 'The provider answered access_denied: User not assigned.',
    })
  })
})
