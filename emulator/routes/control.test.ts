// The control API (/__emulator): users and apps, the clock, record changes, the request log, fault matching.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'

const V = '62.0'

describe('control API', () => {
  let emulator: RunningEmulator
  const token = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    tokenAt(emulator.url, params, headers)
  const tokenAt = async (
    url: string,
    params: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params),
    })
    return { status: response.status, body: (await response.json()) as Record<string, string> }
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 30, seed: 41 })
  })
  beforeEach(() => emulator.control.clearFaults())
  afterAll(() => emulator.close())

  it('adds a user and an app that work only after the app has propagated', async () => {
    const user = await emulator.control.addUser({ username: 'new.admin@crm-demo.example', firstName: 'New' })
    expect(user.id).toMatch(/^005\w{15}$/)
    const app = await emulator.control.addApp({ activeAfterMs: 600_000, runAsUsername: user.username })
    const grant = {
      grant_type: 'password',
      client_id: app.consumerKey,
      client_secret: app.consumerSecret,
      username: user.username,
      password: user.password + user.securityToken,
    }
    expect((await token(grant)).body.error).toBe('invalid_client_id')
    await emulator.control.advanceClock(600_000)
    const ok = await token(grant)
    expect(ok.status).toBe(200)
    expect(ok.body['id']).toBe(`${emulator.url}/id/${emulator.org.id}/${user.id}`)

    const basic = `Basic ${Buffer.from(`${app.consumerKey}:${app.consumerSecret}`).toString('base64')}`
    const cc = await token({ grant_type: 'client_credentials' }, { authorization: basic })
    expect(cc.body['id']).toMatch(new RegExp(`/${user.id}$`))
    await emulator.control.updateApp(app.consumerKey, { flows: ['password'] })
    expect((await token({ grant_type: 'client_credentials' }, { authorization: basic })).body.error).toBe(
      'invalid_grant',
    )
    await emulator.control.updateUser(user.username, { apiEnabled: false })
    const refused = await fetch(`${emulator.url}/services/data/v${V}/limits`, {
      headers: { authorization: `Bearer ${ok.body['access_token']}` },
    })
    expect([refused.status, ((await refused.json()) as Array<{ errorCode: string }>)[0]?.errorCode]).toEqual([
      403,
      'API_DISABLED_FOR_ORG',
    ])
  })

  it('moves the clock forward only', async () => {
    const now = emulator.org.now()
    const later = new Date(now + 3_600_000).toISOString()
    expect(Date.parse((await emulator.control.setClock(later)).now)).toBeGreaterThanOrEqual(Date.parse(later))
    await expect(emulator.control.setClock(new Date(now).toISOString())).rejects.toThrow(/forward/)
  })

  it('changes records as a user or as automation, and reads them back', async () => {
    const [first] = [...emulator.org.records.allRecords('Opportunity')]
    const id = String(first?.['Id'])
    const before = await emulator.control.getRecord('Opportunity', id)
    expect(before['SystemModstamp']).toMatch(/\.000\+0000$/)
    await emulator.control.advanceClock(2000)
    await emulator.control.updateRecord('Opportunity', id, { NextStep: 'Call' }, { automated: true })
    const touched = await emulator.control.getRecord('Opportunity', id)
    expect(touched['LastModifiedDate']).toBe(before['LastModifiedDate'])
    expect(touched['SystemModstamp']).not.toBe(before['SystemModstamp'])
    await emulator.control.advanceClock(2000)
    expect(await emulator.control.recordAction('Opportunity', id, 'touch')).toBe(true)
    expect((await emulator.control.getRecord('Opportunity', id))['SystemModstamp']).not.toBe(
      touched['SystemModstamp'],
    )
    expect(await emulator.control.recordAction('Opportunity', id, 'delete')).toBe(true)
    expect((await emulator.control.getRecord('Opportunity', id))['IsDeleted']).toBe(true)
    expect(await emulator.control.recordAction('Opportunity', id, 'undelete')).toBe(true)
    const mutated = await emulator.control.mutateOpportunities({ percent: 50, seed: 2 })
    expect(mutated.changed).toBeGreaterThan(5)
    expect(mutated.changed).toBeLessThan(25)
  })

  it('answers a bad control body with 400 and a message', async () => {
    await expect(emulator.control('POST', '/clock', { advanceMs: 'soon' })).rejects.toThrow(/400/)
    await expect(emulator.control('POST', '/faults', { kind: 'meteor' })).rejects.toThrow(/400/)
  })

  it('logs requests with their user, and matches faults by regular expression and probability', async () => {
    const c = emulator.credentials
    const login = await token({
      grant_type: 'password',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      username: c.username,
      password: c.password + c.securityToken,
    })
    const call = () =>
      fetch(`${emulator.url}/services/data/v${V}/sobjects/Opportunity/describe`, {
        headers: { authorization: `Bearer ${login.body['access_token']}` },
      })
    await emulator.control.clearRequests()
    await emulator.control.addFault({ match: 're:^GET .*/describe$', kind: 'server_error', probability: 0 })
    expect((await call()).status).toBe(200)
    await emulator.control.addFault({ match: 're:^GET .*/describe$', kind: 'unavailable', times: 1 })
    expect((await call()).status).toBe(503)
    expect((await call()).status).toBe(200)
    await emulator.control.addFault({ match: 'POST /services/oauth2/token', kind: 'unavailable', times: 1 })
    expect((await token({ grant_type: 'password' })).status).toBe(503)
    const log = await emulator.control.requests()
    expect(log.map((r) => r.status)).toEqual([200, 503, 200, 503])
    expect(log[0]).toMatchObject({ method: 'GET', userId: emulator.org.integrationUserId })
  })

  it('notes in the log which object each query and query page read, so benchmarks can count calls per object', async () => {
    // More opportunities than the smallest query batch (200), so the query has a second page.
    const big = await startEmulator({ opportunities: 250, seed: 7 })
    try {
      const c = big.credentials
      const login = await tokenAt(big.url, {
        grant_type: 'password',
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
        username: c.username,
        password: c.password + c.securityToken,
      })
      const get = async (path: string) =>
        (await fetch(`${big.url}${path}`, {
          headers: {
            authorization: `Bearer ${login.body['access_token']}`,
            'sforce-query-options': 'batchSize=200',
          },
        }).then((response) => response.json())) as { nextRecordsUrl?: string }
      await big.control.clearRequests()
      const first = await get(
        `/services/data/v${V}/query?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`,
      )
      expect(first).toMatchObject({ nextRecordsUrl: expect.any(String) })
      await get(first.nextRecordsUrl ?? '')
      await get(`/services/data/v${V}/query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`)
      await get(`/services/data/v${V}/sobjects/Opportunity/describe`)
      const log = await big.control.requests()
      expect(log.map((r) => r.object)).toEqual(['Opportunity', 'Opportunity', 'User', undefined])
    } finally {
      await big.close()
    }
  })
})
