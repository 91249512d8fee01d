import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { prepareFirstRunSetup } from './first-run.service.js'
import { buildTestApp, manualClock, testConfig, TEST_PASSWORD, type TestApp } from '../testing/test-app.js'

const NEW_PASSWORD = 'a brand new passphrase'

describe('first-run setup', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  it('creates the first admin once, and the link dies after use', async () => {
    const setupUrl = await prepareFirstRunSetup(t.deps)
    const token = new URL(setupUrl ?? '').searchParams.get('token') ?? ''
    const before = await t.anonymous().request({ method: 'GET', url: '/api/auth/session' })
    expect(before.json()).toMatchObject({ user: null, setupRequired: true })

    const payload = { token, name: 'Ada Admin', email: 'Ada@Example.com', password: TEST_PASSWORD }
    const created = await t.anonymous().request({ method: 'POST', url: '/api/setup', payload })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      user: { email: 'ada@example.com', role: 'admin' },
      setupRequired: false,
    })
    const cookie = created.cookies.find((c) => c.name === 'crm_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    expect(cookie?.secure).toBeFalsy()

    const replay = await t
      .anonymous()
      .request({ method: 'POST', url: '/api/setup', payload: { ...payload, email: 'eve@example.com' } })
    expect(replay.statusCode).toBe(410)
    expect(replay.json().error.code).toBe('SETUP_LINK_INVALID')
    const users = await t.database.db.selectFrom('users').select('email').execute()
    expect(users).toEqual([{ email: 'ada@example.com' }])
    expect(await prepareFirstRunSetup(t.deps)).toBeUndefined()
  })

  it('rejects a made-up setup token', async () => {
    const response = await t.anonymous().request({
      method: 'POST',
      url: '/api/setup',
      payload: { token: 'guess', name: 'Mallory', email: 'm@example.com', password: TEST_PASSWORD },
    })
    expect(response.statusCode).toBe(410)
  })
})

describe('signing in and out', () => {
  const clock = manualClock(new Date('2026-11-28T09:00:00Z'))
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({
      clock,
      config: testConfig({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '8' }),
    })
  })
  afterAll(() => t.close())

  it('signs in case-insensitively, reports the session, and signs out', async () => {
    const user = await t.createUser({ email: 'kim@example.com' })
    const client = await t.signIn('KIM@example.com')
    expect(client.session?.user?.id).toBe(user.id)
    const session = await client.request({ method: 'GET', url: '/api/auth/session' })
    expect(session.json()).toMatchObject({
      user: { email: 'kim@example.com' },
      csrfToken: client.session?.csrfToken,
    })

    const loggedOut = await client.request({ method: 'POST', url: '/api/auth/logout' })
    expect(loggedOut.statusCode).toBe(204)
    const after = await client.request({ method: 'GET', url: '/api/modules' })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('SESSION_EXPIRED')
  })

  it('answers a wrong password without saying whether the account exists', async () => {
    await t.createUser({ email: 'lee@example.com' })
    const wrong = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'lee@example.com', password: 'nope' },
    })
    const unknown = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.com', password: 'nope' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
  })

  it('throttles an account after 5 failures, even for the right password, then lets it in after the window', async () => {
    await t.createUser({ email: 'max@example.com' })
    const attempt = (password: string) =>
      t
        .anonymous()
        .request({ method: 'POST', url: '/api/auth/login', payload: { email: 'max@example.com', password } })
    for (let i = 0; i < 5; i += 1) expect((await attempt('wrong password')).statusCode).toBe(401)
    const blocked = await attempt(TEST_PASSWORD)
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error.message).toMatch(
      /Too many failed sign-in attempts for this account. Try again in 15 minutes/,
    )
    expect(blocked.headers['retry-after']).toBe('900')
    clock.advance(15 * 60_000 + 1000)
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200)
  })

  it('ends a session after the idle timeout and after the absolute lifetime', async () => {
    const user = await t.createUser()
    const idle = await t.signIn(user.email)
    clock.advance(31 * 60_000)
    const idleResponse = await idle.request({ method: 'GET', url: '/api/modules' })
    expect(idleResponse.json().error.code).toBe('SESSION_EXPIRED')

    const busy = await t.signIn(user.email)
    // Active every 20 minutes: never idle, so only the 8-hour absolute lifetime ends the session.
    for (let step = 1; step < 24; step += 1) {
      clock.advance(20 * 60_000)
      expect((await busy.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(200)
    }
    clock.advance(20 * 60_000)
    expect((await busy.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(401)
  })

  it('refuses state changes without the CSRF token or from another site', async () => {
    const admin = await t.createUser({ role: 'admin' })
    const client = await t.signIn(admin.email)
    const request = { method: 'PATCH' as const, url: '/api/admin/modules/crm', payload: { enabled: true } }
    const noToken = await client.request({ ...request, headers: { 'x-csrf-token': '' } })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.json().error.code).toBe('CSRF_FAILED')
    const crossSite = await client.request({ ...request, headers: { origin: 'https://evil.example' } })
    expect(crossSite.json().error.code).toBe('CSRF_FAILED')
    const crossSiteLogin = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { email: admin.email, password: TEST_PASSWORD },
    })
    expect(crossSiteLogin.statusCode).toBe(403)
    expect((await client.request(request)).statusCode).toBe(200)
  })
})

describe('cookies behind an https proxy', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ TRUST_PROXY: '1' }) })
  })
  afterAll(() => t.close())

  it('marks the session cookie Secure when served over https', async () => {
    const user = await t.createUser()
    const response = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: user.email, password: TEST_PASSWORD },
    })
    expect(response.cookies.find((c) => c.name === 'crm_session')?.secure).toBe(true)
  })
})

describe('password reset links', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  it('set a new password once and end the old sessions', async () => {
    const admin = await t.createUser({ role: 'admin' })
    const member = await t.createUser()
    const adminClient = await t.signIn(admin.email)
    const memberClient = await t.signIn(member.email)
    const link = await adminClient.request({
      method: 'POST',
      url: `/api/admin/users/${member.id}/password-reset-link`,
    })
    expect(link.statusCode).toBe(201)
    const token = new URL(link.json<{ url: string }>().url).searchParams.get('token')

    const reset = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: NEW_PASSWORD },
    })
    expect(reset.statusCode).toBe(204)
    expect((await memberClient.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(401)
    await expect(t.signIn(member.email)).rejects.toThrow(/401/)
    await t.signIn(member.email, NEW_PASSWORD)

    const replay = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: 'yet another passphrase' },
    })
    expect(replay.statusCode).toBe(410)
    expect(replay.json().error.code).toBe('RESET_LINK_INVALID')
  })

  it('rejects a short password with the field named', async () => {
    const response = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token: 'x', password: 'short' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.fields).toEqual({ password: 'Use at least 12 characters.' })
  })
})
