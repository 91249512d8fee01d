// Contract tests: unmodified jsforce (and plain HTTP where jsforce hides the wire) against the emulator.
import jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from './start-emulator.js'
import { passwordGrant } from './testing/access-token.js'

const VERSION = '62.0'

describe('the emulator as jsforce sees it', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  const newConnection = () =>
    new jsforce.Connection({
      loginUrl: emulator.url,
      version: VERSION,
      oauth2: {
        clientId: emulator.credentials.consumerKey,
        clientSecret: emulator.credentials.consumerSecret,
        loginUrl: emulator.url,
      },
    })
  const login = (c: jsforce.Connection) =>
    c.login(emulator.credentials.username, emulator.credentials.password + emulator.credentials.securityToken)

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 120, seed: 3 })
    conn = newConnection()
    await login(conn)
  })
  beforeEach(async () => {
    await emulator.control('DELETE', '/faults')
  })
  afterAll(() => emulator.close())

  it('logs in with the OAuth password grant and returns ids shaped like Salesforce ids', async () => {
    const c = newConnection()
    const info = await login(c)
    expect(info.organizationId).toMatch(/^00D[a-zA-Z0-9]{15}$/)
    expect(info.id).toMatch(/^005[a-zA-Z0-9]{15}$/)
    expect(c.accessToken).toMatch(/^00D\w{12,15}![.\w]+$/)
    expect(c.instanceUrl).toBe(emulator.url)
  })

  it('answers the token endpoint with the documented success body', async () => {
    const { body } = await passwordGrant(emulator)
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'id',
      'instance_url',
      'issued_at',
      'scope',
      'signature',
      'token_type',
    ])
    expect(body['issued_at']).toMatch(/^\d{13}$/)
    expect(body['token_type']).toBe('Bearer')
    expect(body['id']).toBe(`${emulator.url}/id/${emulator.org.id}/${emulator.org.integrationUserId}`)
  })

  it('describes Opportunity, Account, User and OpportunityTeamMember', async () => {
    const opportunity = await conn.sobject('Opportunity').describe()
    expect(opportunity.keyPrefix).toBe('006')
    const stage = opportunity.fields.find((f) => f.name === 'StageName')
    expect(stage?.picklistValues?.map((p): string => String(p.value))).toContain('Closed Won')
    expect(opportunity.fields.find((f) => f.name === 'AccountId')).toMatchObject({
      type: 'reference',
      relationshipName: 'Account',
      referenceTo: ['Account'],
    })
    for (const name of ['Account', 'User', 'OpportunityTeamMember'])
      expect((await conn.sobject(name).describe()).name).toBe(name)
    const global = await conn.describeGlobal()
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Opportunity', 'Account', 'User', 'OpportunityTeamMember', 'OpportunityStage']),
    )
  })

  it('creates, updates and deletes an opportunity, deriving stage fields and moving SystemModstamp', async () => {
    const created = await conn.sobject('Opportunity').create({
      Name: 'Contract test',
      StageName: 'Negotiation/Review',
      CloseDate: '2027-01-15',
      Amount: 5000,
    })
    expect(created).toMatchObject({ success: true, errors: [] })
    const id = (created as { id: string }).id
    const record = (await conn.sobject('Opportunity').retrieve(id)) as Record<string, unknown>
    expect(record).toMatchObject({
      Probability: 90,
      IsClosed: false,
      IsWon: false,
      ForecastCategoryName: 'Pipeline',
      ExpectedRevenue: 4500,
    })
    expect(record['SystemModstamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/)
    await emulator.control('POST', '/clock', { advanceMs: 2000 })
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' })
    const won = (await conn.sobject('Opportunity').retrieve(id)) as Record<string, unknown>
    expect(won).toMatchObject({
      IsClosed: true,
      IsWon: true,
      Probability: 100,
      ForecastCategoryName: 'Closed',
    })
    expect(String(won['SystemModstamp']) > String(record['SystemModstamp'])).toBe(true)
    await conn.sobject('Opportunity').destroy(id)
    await expect(conn.sobject('Opportunity').retrieve(id)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' })
    const all = await conn.request<{ records: unknown[] }>(
      `/services/data/v${VERSION}/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${id}'`)}`,
    )
    expect(all.records).toMatchObject([{ Id: id, IsDeleted: true }])
  })

  it('refuses bad writes with Salesforce error codes', async () => {
    await expect(conn.sobject('Opportunity').create({ Name: 'No stage' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    })
    await expect(
      conn
        .sobject('Opportunity')
        .create({ Name: 'x', StageName: 'Prospecting', CloseDate: '2027-01-01', Bogus__c: 1 }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' })
    await expect(
      conn.sobject('Opportunity').update({ Id: '006000000000001', IsWon: true }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' })
  })

  it('lists updated and deleted records within their windows', async () => {
    const start = new Date(emulator.org.now() - 60_000)
    const [first] = [...emulator.org.records.allRecords('Opportunity')].filter((r) => r['IsDeleted'] !== true)
    await emulator.control('PATCH', `/records/Opportunity/${String(first?.['Id'])}`, {
      values: { NextStep: 'Call back' },
    })
    const [second] = [...emulator.org.records.allRecords('Opportunity')].filter(
      (r) => r['IsDeleted'] !== true && r !== first,
    )
    await emulator.control('POST', `/records/Opportunity/${String(second?.['Id'])}/delete`)
    await emulator.control('POST', '/clock', { advanceMs: 120_000 })
    const end = new Date(emulator.org.now())
    const updated = await conn.sobject('Opportunity').updated(start.toISOString(), end.toISOString())
    expect(updated.ids).toContain(first?.['Id'])
    expect(updated.latestDateCovered).toMatch(/:00\.000\+0000$/)
    const deleted = await conn.sobject('Opportunity').deleted(start.toISOString(), end.toISOString())
    expect(deleted.deletedRecords.map((r) => r.id)).toContain(second?.['Id'])
    expect(deleted.earliestDateAvailable).toBeTruthy()
    await expect(
      conn.sobject('Opportunity').updated(end.toISOString(), start.toISOString()),
    ).rejects.toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE' })
    await expect(
      conn
        .sobject('Opportunity')
        .deleted(new Date(emulator.org.now() - 20 * 86_400_000).toISOString(), end.toISOString()),
    ).rejects.toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE' })
  })

  it('fills conn.limitInfo from Sforce-Limit-Info and serves /limits consistently', async () => {
    await conn.query('SELECT Id FROM Opportunity LIMIT 1')
    const used = conn.limitInfo?.apiUsage?.used ?? 0
    expect(conn.limitInfo?.apiUsage?.limit).toBe(15_000)
    const limits = await conn.request<{ DailyApiRequests: { Max: number; Remaining: number } }>(
      `/services/data/v${VERSION}/limits`,
    )
    expect(limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining).toBe(used + 1)
  })

  it('makes jsforce log in again and emit refresh after a 401', async () => {
    const c = newConnection()
    await login(c)
    const refreshed = new Promise<string>((resolve) => c.on('refresh', (token: string) => resolve(token)))
    await emulator.control('POST', '/tokens/expire')
    const result = await c.query('SELECT COUNT() FROM Opportunity')
    expect(result.totalSize).toBeGreaterThan(0)
    expect(await refreshed).toMatch(/^00D/)
  })
})

describe('OAuth errors, as documented', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 5, seed: 4 })
  })
  afterAll(() => emulator.close())

  const token = async (params: Record<string, string>) => {
    const response = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    })
    return {
      status: response.status,
      body: (await response.json()) as { error: string; error_description: string },
    }
  }
  const password = (overrides: Record<string, string> = {}) => {
    const c = emulator.credentials
    return {
      grant_type: 'password',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      username: c.username,
      password: c.password + c.securityToken,
      ...overrides,
    }
  }

  it.each([
    ['a wrong password', 'invalid_grant', 'authentication failure', { password: 'nope' }],
    [
      'a missing security token',
      'invalid_grant',
      'authentication failure',
      { password: 'Integration-Pass-1' },
    ],
    ['an unknown consumer key', 'invalid_client_id', 'client identifier invalid', { client_id: 'nope' }],
    ['a wrong consumer secret', 'invalid_client', 'invalid client credentials', { client_secret: 'nope' }],
    ['an unknown grant type', 'unsupported_grant_type', 'grant type not supported', { grant_type: 'magic' }],
  ])('answers %s with 400 %s', async (_label, error, description, overrides) => {
    expect(await token(password(overrides))).toEqual({
      status: 400,
      body: { error, error_description: description },
    })
  })

  it('answers a blocked username-password flow exactly like a wrong password', async () => {
    await emulator.control('PATCH', '/settings', { blockUsernamePasswordFlow: true })
    expect(await token(password())).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    })
    await emulator.control('PATCH', '/settings', { blockUsernamePasswordFlow: false })
  })

  it('says invalid_client_id while a new connected app is not active yet', async () => {
    await emulator.control('PATCH', '/settings', { appActiveAfterMs: 600_000 })
    expect((await token(password())).body.error).toBe('invalid_client_id')
    await emulator.control('PATCH', '/settings', { appActiveAfterMs: -1 })
  })

  it('issues client credentials tokens without a refresh token, and rejects revoked refresh tokens', async () => {
    const c = emulator.credentials
    const cc = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${c.consumerKey}:${c.consumerSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    const body = (await cc.json()) as Record<string, string>
    expect(body['access_token']).toMatch(/^00D/)
    expect(body['refresh_token']).toBeUndefined()
    expect(
      await token({
        grant_type: 'refresh_token',
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
        refresh_token: 'unknown',
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    })
  })

  it('runs the authorization code flow with PKCE S256, refusing a wrong verifier', async () => {
    await emulator.control('PATCH', '/settings', { appAutoApprove: true })
    const c = emulator.credentials
    const verifier = 'a'.repeat(64)
    const challenge = (await import('node:crypto')).createHash('sha256').update(verifier).digest('base64url')
    const authorize = async () => {
      const url = new URL(`${emulator.url}/services/oauth2/authorize`)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: c.consumerKey,
        redirect_uri: 'https://app.example/callback',
        state: 's1',
        code_challenge: challenge,
      }).toString()
      const response = await fetch(url, { redirect: 'manual' })
      const location = new URL(response.headers.get('location') ?? '')
      expect(location.searchParams.get('state')).toBe('s1')
      return location.searchParams.get('code') ?? ''
    }
    const exchange = (code: string, codeVerifier: string) =>
      token({
        grant_type: 'authorization_code',
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
        code,
        code_verifier: codeVerifier,
        redirect_uri: 'https://app.example/callback',
      })
    expect((await exchange(await authorize(), 'wrong')).body).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid code verifier',
    })
    const good = (await exchange(await authorize(), verifier)) as unknown as {
      status: number
      body: Record<string, string>
    }
    expect(good.status).toBe(200)
    expect(good.body['refresh_token']).toMatch(/^5Aep86/)
    // Revoking the refresh token ends it for good (and the access tokens issued from it).
    const revoke = await fetch(`${emulator.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: good.body['refresh_token'] ?? '' }),
    })
    expect(revoke.status).toBe(200)
    const userinfo = await fetch(`${emulator.url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${good.body['access_token']}` },
    })
    expect(userinfo.status).toBe(401)
  })
})

describe('injected faults', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 5, seed: 5 })
    conn = new jsforce.Connection({
      loginUrl: emulator.url,
      version: VERSION,
      oauth2: {
        clientId: emulator.credentials.consumerKey,
        clientSecret: emulator.credentials.consumerSecret,
        loginUrl: emulator.url,
      },
    })
    await conn.login(
      emulator.credentials.username,
      emulator.credentials.password + emulator.credentials.securityToken,
    )
  })
  beforeEach(async () => {
    await emulator.control('DELETE', '/faults')
  })
  afterAll(() => emulator.close())

  const limits = `/services/data/v${VERSION}/limits`
  // jsforce retries GETs on 5xx five times, so faults must outlast that to surface.
  it.each([
    ['server_error', 500, 'UNKNOWN_EXCEPTION'],
    ['unavailable', 503, 'SERVER_UNAVAILABLE'],
    ['request_limit', 403, 'REQUEST_LIMIT_EXCEEDED'],
  ])('%s answers %i %s', async (kind, status, errorCode) => {
    await emulator.control('POST', '/faults', { match: limits, kind })
    const response = await fetch(`${emulator.url}${limits}`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    })
    expect(response.status).toBe(status)
    expect(await response.json()).toEqual([{ errorCode, message: expect.any(String) }])
  })

  it('invalid_session answers 401 INVALID_SESSION_ID for the next N calls only', async () => {
    await emulator.control('POST', '/faults', { match: limits, kind: 'invalid_session', times: 1 })
    const first = await fetch(`${emulator.url}${limits}`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    })
    expect(first.status).toBe(401)
    expect(await first.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ])
    expect(
      (await fetch(`${emulator.url}${limits}`, { headers: { authorization: `Bearer ${conn.accessToken}` } }))
        .status,
    ).toBe(200)
  })

  it('slows and drops responses, and sends malformed bodies', async () => {
    await emulator.control('POST', '/faults', { match: limits, kind: 'slow', delayMs: 300, times: 1 })
    const started = Date.now()
    await fetch(`${emulator.url}${limits}`, { headers: { authorization: `Bearer ${conn.accessToken}` } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    await emulator.control('POST', '/faults', { match: limits, kind: 'drop', times: 1 })
    await expect(
      fetch(`${emulator.url}${limits}`, { headers: { authorization: `Bearer ${conn.accessToken}` } }),
    ).rejects.toThrow()
    await emulator.control('POST', '/faults', { match: limits, kind: 'malformed_body', times: 1 })
    const cut = await fetch(`${emulator.url}${limits}`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    })
    await expect(cut.json()).rejects.toThrow()
  })

  it('surfaces a persistent 503 to jsforce after its own retries, and logs every request', async () => {
    await emulator.control('DELETE', '/requests')
    await emulator.control('POST', '/faults', { match: limits, kind: 'unavailable' })
    await expect(conn.request(limits)).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' })
    const log = (await emulator.control('GET', '/requests')) as {
      requests: Array<{ path: string; status: number }>
    }
    expect(log.requests.filter((r) => r.path === limits && r.status === 503).length).toBe(6)
  }, 30_000)
})
