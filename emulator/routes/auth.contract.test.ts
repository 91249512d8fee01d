// Sign-in paths beyond the password grant: SOAP login() as jsforce uses it, multipart token requests, the consent
// page, revocation, identity and userinfo, session lifetime, refresh token rotation, inactive users.
import jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'

const V = '62.0'

describe('sign-in and sessions', () => {
  let emulator: RunningEmulator
  const tokenRequest = (params: Record<string, string>) =>
    fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    })
  const passwordGrant = async (overrides: Record<string, string> = {}) => {
    const c = emulator.credentials
    const response = await tokenRequest({
      grant_type: 'password',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      username: c.username,
      password: c.password + c.securityToken,
      ...overrides,
    })
    return { status: response.status, body: (await response.json()) as Record<string, string> }
  }
  const get = (path: string, accessToken: string) =>
    fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 10, seed: 31 })
  })
  beforeEach(async () => {
    await emulator.control.settings({
      sessionTtlMs: 7_200_000,
      soapLoginEnabled: true,
      appAutoApprove: false,
    })
  })
  afterAll(() => emulator.close())

  it('logs jsforce in through SOAP login() when it has no client secret', async () => {
    const conn = new jsforce.Connection({ loginUrl: emulator.url, version: V })
    const c = emulator.credentials
    const info = await conn.login(c.username, c.password + c.securityToken)
    expect(info).toMatchObject({ id: emulator.org.integrationUserId, organizationId: emulator.org.id })
    expect(conn.instanceUrl).toBe(emulator.url)
    expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(10)
    await expect(
      new jsforce.Connection({ loginUrl: emulator.url, version: V }).login(c.username, c.password),
    ).rejects.toThrow('INVALID_LOGIN: Invalid username, password, security token; or user locked out.')
    await emulator.control.settings({ soapLoginEnabled: false })
    await expect(
      new jsforce.Connection({ loginUrl: emulator.url, version: V }).login(
        c.username,
        c.password + c.securityToken,
      ),
    ).rejects.toThrow(/INVALID_OPERATION/)
  })

  it('accepts a multipart/form-data token request', async () => {
    const c = emulator.credentials
    const form = new FormData()
    for (const [key, value] of Object.entries({
      grant_type: 'password',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      username: c.username,
      password: c.password + c.securityToken,
    }))
      form.append(key, value)
    const response = await fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', body: form })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^00D\w{12,15}!/)
  })

  it('refuses an inactive user', async () => {
    const user = await emulator.control.addUser({ username: 'gone@crm-demo.example', active: false })
    const result = await passwordGrant({
      username: user.username,
      password: user.password + user.securityToken,
    })
    expect(result).toEqual({
      status: 400,
      body: { error: 'inactive_user', error_description: 'user is inactive' },
    })
  })

  it('ends a session after the configured lifetime with 401 INVALID_SESSION_ID', async () => {
    await emulator.control.settings({ sessionTtlMs: 60_000 })
    const { body } = await passwordGrant()
    expect(body).not.toHaveProperty('expires_in')
    expect((await get(`/services/data/v${V}/limits`, body['access_token'] ?? '')).status).toBe(200)
    await emulator.control.advanceClock(61_000)
    const expired = await get(`/services/data/v${V}/limits`, body['access_token'] ?? '')
    expect(expired.status).toBe(401)
    expect(await expired.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ])
  })

  it('serves identity and userinfo for the token owner', async () => {
    const { body } = await passwordGrant()
    const token = body['access_token'] ?? ''
    const identity = await fetch(`${body['id']}?format=json&oauth_token=${encodeURIComponent(token)}`)
    expect(await identity.json()).toMatchObject({
      user_id: emulator.org.integrationUserId,
      organization_id: emulator.org.id,
      username: emulator.credentials.username,
    })
    const userinfo = await get('/services/oauth2/userinfo', token)
    expect(await userinfo.json()).toMatchObject({
      user_id: emulator.org.integrationUserId,
      preferred_username: emulator.credentials.username,
    })
  })

  it('logs in on the consent page, then revokes: a refresh token takes its access tokens with it', async () => {
    const c = emulator.credentials
    const page = await fetch(
      `${emulator.url}/services/oauth2/authorize?${String(
        new URLSearchParams({
          response_type: 'code',
          client_id: c.consumerKey,
          redirect_uri: 'http://localhost:1717/OauthRedirect',
          state: 'xyz',
        }),
      )}`,
    )
    expect(await page.text()).toContain('name="password"')
    const login = (password: string) =>
      fetch(`${emulator.url}/services/oauth2/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: c.consumerKey,
          redirect_uri: 'http://localhost:1717/OauthRedirect',
          state: 'xyz',
          username: c.username,
          password,
          decision: 'allow',
        }),
      })
    expect((await login('wrong')).status).toBe(200)
    const allowed = await login(c.password)
    expect(allowed.status).toBe(302)
    const location = new URL(allowed.headers.get('location') ?? '')
    expect(location.searchParams.get('state')).toBe('xyz')
    const exchanged = await tokenRequest({
      grant_type: 'authorization_code',
      code: location.searchParams.get('code') ?? '',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      redirect_uri: 'http://localhost:1717/OauthRedirect',
    })
    const tokens = (await exchanged.json()) as Record<string, string>
    expect(tokens['refresh_token']).toBeTruthy()
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens['refresh_token'] ?? '',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
    })
    const second = (await refreshed.json()) as Record<string, string>
    expect(second).not.toHaveProperty('refresh_token')
    const revoke = await fetch(`${emulator.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens['refresh_token'] ?? '' }),
    })
    expect(revoke.status).toBe(200)
    for (const accessToken of [tokens['access_token'], second['access_token']])
      expect((await get(`/services/data/v${V}/limits`, accessToken ?? '')).status).toBe(401)
    const bad = await fetch(`${emulator.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=unknown',
    })
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'invalid_token'])
  })

  it('rotates refresh tokens when the app asks for it', async () => {
    await emulator.control.settings({ appAutoApprove: true, appRotateRefreshTokens: true })
    const c = emulator.credentials
    const redirect = await fetch(
      `${emulator.url}/services/oauth2/authorize?${String(
        new URLSearchParams({
          response_type: 'code',
          client_id: c.consumerKey,
          redirect_uri: 'https://app.example/cb',
        }),
      )}`,
      { redirect: 'manual' },
    )
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const first = (await (
      await tokenRequest({
        grant_type: 'authorization_code',
        code,
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
        redirect_uri: 'https://app.example/cb',
      })
    ).json()) as Record<string, string>
    const refresh = (token: string) =>
      tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
      })
    const rotated = (await (await refresh(first['refresh_token'] ?? '')).json()) as Record<string, string>
    expect(rotated['refresh_token']).toBeTruthy()
    expect(rotated['refresh_token']).not.toBe(first['refresh_token'])
    expect((await refresh(first['refresh_token'] ?? '')).status).toBe(400)
    await emulator.control.settings({ appRotateRefreshTokens: false })
  })
})
