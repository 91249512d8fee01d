// REST resources beyond query: discovery, writes and their error codes, field-level security, profile permissions.
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

describe('REST resources', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  let token = ''
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${emulator.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null }
  }
  const create = (body: unknown) =>
    api(`/services/data/v${V}/sobjects/Opportunity`, { method: 'POST', body: JSON.stringify(body) })
  const valid = { Name: 'REST deal', StageName: 'Prospecting', CloseDate: '2027-02-01' }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 40, seed: 21 })
    conn = await jsforceConnection(emulator, V)
    token = conn.accessToken ?? ''
  })
  beforeEach(async () => {
    await emulator.control.clearFaults()
    await emulator.control.settings({ showFields: ['Opportunity.Amount'], dailyApiRequests: 15_000 })
    await emulator.control.updateUser(emulator.credentials.username, { canReadOpportunities: true })
  })
  afterAll(() => emulator.close())

  it('lists versions without authentication or usage header, and maps resources for the session user', async () => {
    const versions = await fetch(`${emulator.url}/services/data`)
    expect(versions.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    expect(versions.headers.get('sforce-limit-info')).toBeNull()
    const list = (await versions.json()) as Array<{ version: string; url: string }>
    expect(list.map((v) => v.version)).toEqual(expect.arrayContaining(['50.0', '51.0', '62.0', '66.0']))
    const map = await api(`//services/data/v${V}`)
    expect(map.status).toBe(200)
    expect(map.body.identity).toBe(`${emulator.url}/id/${emulator.org.id}/${emulator.org.integrationUserId}`)
    expect(map.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/)
    expect((await api('/services/data/v49.0/limits')).status).toBe(200)
  })

  it('reads a user by id, as the Salesforce CLI does', async () => {
    const user = await conn.sobject('User').retrieve(emulator.org.integrationUserId)
    expect(user).toMatchObject({ Username: emulator.credentials.username, IsActive: true })
    expect((user as { attributes: { url: string } }).attributes.url).toBe(
      `/services/data/v${V}/sobjects/User/${emulator.org.integrationUserId}`,
    )
  })

  it.each([
    ['a malformed lookup id', { AccountId: 'nope' }, 'MALFORMED_ID'],
    ['a lookup to another object', { AccountId: '005000000000001AAA' }, 'FIELD_INTEGRITY_EXCEPTION'],
    ['a lookup to no record', { AccountId: '001000000000999AAA' }, 'INVALID_CROSS_REFERENCE_KEY'],
    ['text in a currency field', { Amount: 'lots' }, 'JSON_PARSER_ERROR'],
    ['a date that is no date', { CloseDate: 'soon' }, 'JSON_PARSER_ERROR'],
    ['a name longer than 120 characters', { Name: 'x'.repeat(121) }, 'STRING_TOO_LONG'],
    ['an unknown field', { Bogus__c: 1 }, 'INVALID_FIELD'],
    ['a read-only field', { IsWon: true }, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
  ])('refuses %s with 400 %s', async (_label, overrides, errorCode) => {
    const response = await create({ ...valid, ...overrides })
    expect(response.status).toBe(400)
    expect(response.body).toEqual([expect.objectContaining({ errorCode, message: expect.any(String) })])
  })

  it('answers a body that is not JSON with 400 JSON_PARSER_ERROR', async () => {
    const response = await api(`/services/data/v${V}/sobjects/Opportunity`, {
      method: 'POST',
      body: '{"Name":',
    })
    expect(response.status).toBe(400)
    expect(response.body[0].errorCode).toBe('JSON_PARSER_ERROR')
  })

  it('creates with typed values and refuses to null a required field', async () => {
    const created = await create({ ...valid, Amount: '1250.5', Deal_Score__c: 42 })
    expect(created).toMatchObject({ status: 201, body: { success: true, errors: [] } })
    const record = await api(`/services/data/v${V}/sobjects/Opportunity/${created.body.id}`)
    expect(record.body).toMatchObject({ Amount: 1250.5, CloseDate: '2027-02-01', Probability: 10 })
    expect(record.body.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/)
    const nulled = await api(`/services/data/v${V}/sobjects/Opportunity/${created.body.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ StageName: null }),
    })
    expect(nulled.status).toBe(400)
    expect(nulled.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['StageName'] })
  })

  it('tells malformed, unknown and deleted ids apart on writes', async () => {
    const { body } = await create(valid)
    const path = `/services/data/v${V}/sobjects/Opportunity`
    expect((await api(`${path}/bad-id`, { method: 'DELETE' })).body[0].errorCode).toBe('MALFORMED_ID')
    const unknown = await api(`${path}/006000000000999AAA`, { method: 'DELETE' })
    expect([unknown.status, unknown.body[0].errorCode]).toEqual([404, 'NOT_FOUND'])
    expect((await api(`${path}/${body.id}`, { method: 'DELETE' })).status).toBe(204)
    const again = await api(`${path}/${body.id}`, { method: 'DELETE' })
    expect([again.status, again.body[0].errorCode]).toEqual([404, 'ENTITY_IS_DELETED'])
    const patch = await api(`${path}/${body.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ NextStep: 'x' }),
    })
    expect(patch.body[0].errorCode).toBe('ENTITY_IS_DELETED')
    expect((await api(`${path}/${body.id}`)).status).toBe(404)
  })

  it('does not let the API write setup objects', async () => {
    const response = await api(`/services/data/v${V}/sobjects/Organization`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'x' }),
    })
    expect([response.status, response.body[0].errorCode]).toEqual([405, 'METHOD_NOT_ALLOWED'])
  })

  it('hides a field from describe, records and SOQL when field-level security says so', async () => {
    const [row] = (await conn.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records
    await emulator.control.settings({ hideFields: ['Opportunity.Amount'] })
    const describe = await api(`/services/data/v${V}/sobjects/Opportunity/describe`)
    expect(describe.body.fields.map((f: { name: string }) => f.name)).not.toContain('Amount')
    const record = await api(`/services/data/v${V}/sobjects/Opportunity/${row?.Id}`)
    expect(record.body).not.toHaveProperty('Amount')
    const soql = await api(
      `/services/data/v${V}/query?q=${encodeURIComponent('SELECT Amount FROM Opportunity')}`,
    )
    expect([soql.status, soql.body[0].errorCode]).toEqual([400, 'INVALID_FIELD'])
  })

  it('hides Opportunity entirely from a profile without Read on it', async () => {
    await emulator.control.updateUser(emulator.credentials.username, { canReadOpportunities: false })
    const global = await api(`/services/data/v${V}/sobjects`)
    const names = global.body.sobjects.map((s: { name: string }) => s.name)
    expect(names).toContain('Account')
    expect(names).not.toContain('Opportunity')
    expect((await api(`/services/data/v${V}/sobjects/Opportunity/describe`)).status).toBe(404)
    const soql = await api(`/services/data/v${V}/query?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`)
    expect([soql.status, soql.body[0].errorCode]).toEqual([400, 'INVALID_TYPE'])
    const accounts = await api(`/services/data/v${V}/query?q=${encodeURIComponent('SELECT Id FROM Account')}`)
    expect(accounts.status).toBe(200)
  })

  it('refuses every counted call with 403 REQUEST_LIMIT_EXCEEDED once the daily allowance is used', async () => {
    await emulator.control.settings({ dailyApiRequests: 10, apiRequestsUsed: 9 })
    const last = await api(`/services/data/v${V}/limits`)
    expect(last.status).toBe(200)
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=10/10')
    expect(last.body.DailyApiRequests).toEqual({ Max: 10, Remaining: 0 })
    const over = await api(`/services/data/v${V}/sobjects`)
    expect(over.status).toBe(403)
    expect(over.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ])
    await emulator.control.settings({ apiRequestsUsed: 0 })
  })

  it('redirects a Classic record URL to a Lightning record page', async () => {
    const id = emulator.org.integrationUserId
    const classic = await fetch(`${emulator.url}/${id}`, { redirect: 'manual' })
    expect(classic.status).toBe(302)
    expect(classic.headers.get('location')).toBe(`/lightning/r/User/${id}/view`)
    const page = await fetch(`${emulator.url}/lightning/r/User/${id}/view`)
    expect(await page.text()).toContain(emulator.credentials.username)
  })
})
