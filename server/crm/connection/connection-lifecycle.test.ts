import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { hashPassword } from '../../auth/password.js'
import { insertUser } from '../../users/users.repository.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { capturingLogger } from '../../testing/log-capture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { openCrmSession } from './crm-session.js'
import { openSecrets } from './secret-binding.js'

const noSync = { dispatch: async () => undefined, stop: async () => undefined }

describe('saving, using and removing the connection', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  const logs = capturingLogger()
  const responses: string[] = []
  const request: Client['request'] = async (options) => {
    const response = await admin.request(options)
    responses.push(response.body, JSON.stringify(response.headers))
    return response
  }

  beforeAll(async () => {
    emulator = await startTestEmulator()
    t = await buildTestApp({ log: logs.log, syncDispatcher: noSync })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  })
  afterAll(async () => {
    await t.close()
    await emulator.close()
  })

  it('saves working settings with every secret encrypted and none returned', async () => {
    const saved = await request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator),
    })
    expect(saved.json()).toMatchObject({
      saved: true,
      connection: {
        status: 'healthy',
        storedSecrets: { password: true, securityToken: true, consumerSecret: true, refreshToken: false },
      },
    })
    const row = await t.database.db.selectFrom('crm_connections').selectAll().executeTakeFirstOrThrow()
    const c = emulator.credentials
    for (const secret of [c.password, c.securityToken, c.consumerSecret])
      expect(row.encrypted_secrets).not.toContain(secret)
    expect(row.encrypted_secrets).toMatch(/^v1\./)
    const shown = await request({ method: 'GET', url: '/api/admin/crm/connection' })
    expect(shown.json().connection.username).toBe(c.username)
  })

  it('keeps stored secrets when the form leaves them empty, and refuses to save settings that fail', async () => {
    const again = await request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { password: '', securityToken: '', consumerSecret: '' }),
    })
    expect(again.json().saved).toBe(true)
    const wrong = await request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { securityToken: 'WRONG' }),
    })
    expect(wrong.json()).toMatchObject({ saved: false, report: { ok: false } })
    const row = await t.database.db.selectFrom('crm_connections').select('status').executeTakeFirstOrThrow()
    expect(row.status).toBe('healthy')
  })

  it('reuses the access token, signs in again once after it expires, and keeps going', async () => {
    const row = await t.database.db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    const { client: api } = await openCrmSession(t.deps, row.id)
    await api.query('SELECT COUNT() FROM Opportunity')
    const before = (await emulator.control('GET', '/requests')) as { requests: Array<{ path: string }> }
    const tokenCalls = () => before.requests.filter((r) => r.path === '/services/oauth2/token').length
    const tokenCallsBefore = tokenCalls()
    await emulator.control('POST', '/tokens/expire')
    const result = await api.query('SELECT COUNT() FROM Opportunity')
    expect(result.totalSize).toBe(30)
    const after = (await emulator.control('GET', '/requests')) as {
      requests: Array<{ path: string; status: number }>
    }
    expect(after.requests.filter((r) => r.path === '/services/oauth2/token').length).toBe(
      tokenCallsBefore + 1,
    )
    expect(after.requests.some((r) => r.status === 401)).toBe(true)
  })

  it('marks the connection "needs attention" when signing in again fails, and stops', async () => {
    const row = await t.database.db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    await emulator.control('PATCH', '/settings', { blockUsernamePasswordFlow: true })
    await emulator.control('POST', '/tokens/expire')
    const { client: api } = await openCrmSession(t.deps, row.id)
    await expect(api.query('SELECT COUNT() FROM Opportunity')).rejects.toThrow()
    const shown = await request({ method: 'GET', url: '/api/admin/crm/connection' })
    expect(shown.json().connection).toMatchObject({ status: 'needs_attention' })
    expect(shown.json().connection.statusReason).toMatch(/refused the username, password or security token/)
    await expect(openCrmSession(t.deps, row.id)).rejects.toThrow(/needs attention/)
    await emulator.control('PATCH', '/settings', { blockUsernamePasswordFlow: false })
  })

  it('disconnects: revokes at Salesforce and forgets every secret', async () => {
    await request({ method: 'PUT', url: '/api/admin/crm/connection', payload: passwordSettings(emulator) })
    const response = await request({ method: 'DELETE', url: '/api/admin/crm/connection' })
    expect(response.json()).toMatchObject({
      revoked: true,
      connection: {
        status: 'disconnected',
        storedSecrets: { password: false, securityToken: false, consumerSecret: false },
      },
    })
    const row = await t.database.db.selectFrom('crm_connections').selectAll().executeTakeFirstOrThrow()
    expect(openSecrets(t.deps, row)).toEqual({})
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'crm.%')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'crm.connection.connected',
        'crm.connection.updated',
        'crm.connection.save_refused',
        'crm.connection.needs_attention',
        'crm.connection.disconnected',
      ]),
    )
  })

  it('never lets a secret reach a response or a log line', () => {
    const c = emulator.credentials
    const everything = [...responses, ...logs.lines].join('\n')
    expect(logs.lines.length).toBeGreaterThan(5)
    for (const secret of [c.password, c.securityToken, c.consumerSecret, c.password + c.securityToken])
      expect(everything).not.toContain(secret)
    expect(everything).not.toMatch(/00D\w{12,15}![.\w]{20,}/)
  })

  it('logs no one-time link token, OAuth code or state from a request URL', async () => {
    const created = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: { name: 'New Person', email: 'new.person@example.com', role: 'member' },
    })
    const link = new URL(created.json<{ passwordLink: { url: string } }>().passwordLink.url)
    const token = link.searchParams.get('token') ?? ''
    expect(token.length).toBeGreaterThan(20)
    // The emailed link opened in a browser, and OAuth callbacks as providers send them.
    await t.anonymous().request({ method: 'GET', url: `${link.pathname}${link.search}` })
    await t.anonymous().request({ method: 'GET', url: `/setup?token=${token}` })
    const code = 'aPrx-canary-code-4d1f0e'
    const state = 'canary-state-9b7c5a'
    await admin.request({
      method: 'GET',
      url: `/api/admin/crm/connection/oauth/callback?code=${code}&state=${state}`,
    })
    await t.anonymous().request({ method: 'GET', url: `/api/auth/oidc/callback?state=${state}&code=${code}` })
    const logged = logs.lines.join('\n')
    expect(logged).toContain('/reset-password?token=[redacted]')
    expect(logged).toContain('oauth/callback?code=[redacted]&state=[redacted]')
    for (const secret of [token, code, state]) expect(logged).not.toContain(secret)
  })

  it("logs a database error without its parameters (a new user's argon2 hash)", async () => {
    const hash = await hashPassword('a canary password for the log')
    const insert = insertUser(t.database.db, {
      name: 'Duplicate',
      email: 'new.person@example.com',
      role: 'member',
      is_active: true,
      password_hash: hash,
    })
    const err = await insert.then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(err).toBeInstanceOf(Error)
    // As the error handler logs an unexpected error.
    t.deps.log.error({ err }, 'unhandled error')
    const logged = logs.lines.at(-1) ?? ''
    expect(logged).toContain('users_email_unique')
    expect(logged).not.toContain(hash)
    expect(logs.lines.join('\n')).not.toMatch(/\$argon2id\$/)
  })
})

describe('client credentials and "Connect with Salesforce"', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  beforeAll(async () => {
    emulator = await startTestEmulator()
    t = await buildTestApp({ syncDispatcher: noSync })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  })
  afterAll(async () => {
    await t.close()
    await emulator.close()
  })

  it('connects with client credentials (consumer key and secret only)', async () => {
    const settings = passwordSettings(emulator, {
      authMethod: 'client_credentials',
      username: undefined,
      password: undefined,
      securityToken: undefined,
    })
    const response = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: settings,
    })
    expect(response.json()).toMatchObject({
      saved: true,
      connection: {
        authMethod: 'client_credentials',
        storedSecrets: { password: false, consumerSecret: true },
      },
    })
  })

  it('connects with the authorization code flow and PKCE, keeping the refresh token and never a password', async () => {
    await emulator.control('PATCH', '/settings', { appAutoApprove: true })
    const settings = passwordSettings(emulator, {
      authMethod: 'authorization_code',
      username: undefined,
      password: undefined,
      securityToken: undefined,
    })
    const started = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/oauth/start',
      payload: settings,
    })
    const authorizeUrl = new URL(started.json().authorizeUrl)
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256')
    const approval = await fetch(authorizeUrl, { redirect: 'manual' })
    const callback = new URL(approval.headers.get('location') ?? '')
    expect(callback.pathname).toBe('/api/admin/crm/connection/oauth/callback')
    const done = await admin.request({ method: 'GET', url: `${callback.pathname}${callback.search}` })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/admin/modules/crm?connected=1')
    const shown = await admin.request({ method: 'GET', url: '/api/admin/crm/connection' })
    expect(shown.json().connection).toMatchObject({
      authMethod: 'authorization_code',
      status: 'healthy',
      storedSecrets: { refreshToken: true, password: false },
    })

    const replay = await admin.request({ method: 'GET', url: `${callback.pathname}${callback.search}` })
    expect(replay.headers.location).toMatch(/oauthError=.*expired%20or%20was%20already%20used/)
  })

  it('turns a revoked refresh token into "needs attention" with a reconnect hint', async () => {
    await emulator.control('POST', '/tokens/revoke', { allRefreshTokens: true })
    const row = await t.database.db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    const { client: api } = await openCrmSession(t.deps, row.id)
    await expect(api.query('SELECT COUNT() FROM Opportunity')).rejects.toThrow()
    const shown = await admin.request({ method: 'GET', url: '/api/admin/crm/connection' })
    expect(shown.json().connection).toMatchObject({ status: 'needs_attention' })
    expect(shown.json().connection.statusHint).toMatch(/Reconnect with "Connect with Salesforce"/)
  })
})
