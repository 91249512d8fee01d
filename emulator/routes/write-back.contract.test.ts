// Writes the portal's edits need: conditional requests on sObject Rows (raw HTTP, for the headers), the user who made
// a change, validation rules, field-level security, restricted picklists, locked rows and deleted records (through
// unmodified jsforce, sobject().update, where it has an API).
import jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { accessToken } from '../testing/access-token.js'

const V = '62.0'

describe('sObject Rows writes for portal edits', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  let token = ''
  let id = ''
  const row = () => `${emulator.url}/services/data/v${V}/sobjects/Opportunity/${id}`
  const call = async (
    method: string,
    headers: Record<string, string> = {},
    body?: unknown,
    bearer = token,
  ) => {
    const response = await fetch(row(), {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null }
  }
  const lastModified = async () =>
    Date.parse(String((await emulator.control.getRecord('Opportunity', id))['LastModifiedDate']))
  const jsforceError = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as { errorCode?: string; message?: string; data?: unknown } | undefined
    return error
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 5, seed: 16 })
    const c = emulator.credentials
    conn = new jsforce.Connection({
      loginUrl: emulator.url,
      version: V,
      oauth2: { clientId: c.consumerKey, clientSecret: c.consumerSecret, loginUrl: emulator.url },
    })
    await conn.login(c.username, c.password + c.securityToken)
    token = conn.accessToken ?? ''
  })
  beforeEach(async () => {
    await emulator.control.clearFaults()
    await emulator.control.clearValidationRules()
    await emulator.control.writeRules({
      writableFields: ['Opportunity.Amount'],
      unrestrictPicklists: ['Opportunity.StageName'],
    })
    const created = await conn.sobject('Opportunity').create({
      Name: 'Write-back deal',
      StageName: 'Prospecting',
      CloseDate: '2030-01-01',
    })
    id = (created as { id: string }).id
    await emulator.control.advanceClock(5_000)
  })
  afterAll(() => emulator.close())

  it('updates with If-Unmodified-Since at the last modified time (204) and refuses a later change (412)', async () => {
    const seen = new Date(await lastModified()).toUTCString()
    const first = await call('PATCH', { 'if-unmodified-since': seen }, { Amount: 1000 })
    expect(first).toEqual({ status: 204, body: null })
    const stale = await call('PATCH', { 'if-unmodified-since': seen }, { Amount: 2000 })
    expect(stale.status).toBe(412)
    expect(stale.body).toEqual([{ errorCode: 'PRECONDITION_FAILED', message: expect.any(String) }])
    expect((await emulator.control.getRecord('Opportunity', id))['Amount']).toBe(1000)
    // DELETE honours the header too (Winter '16 page): the stale delete is refused, nothing is deleted.
    expect((await call('DELETE', { 'if-unmodified-since': seen })).status).toBe(412)
    expect((await call('GET')).status).toBe(200)
  })

  it('answers GET with 304 when nothing changed since If-Modified-Since, 200 after a change', async () => {
    const since = new Date(await lastModified()).toUTCString()
    expect(await call('GET', { 'if-modified-since': since })).toEqual({ status: 304, body: null })
    await emulator.control.advanceClock(2_000)
    await call('PATCH', {}, { NextStep: 'Call back' })
    const changed = await call('GET', { 'if-modified-since': since })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ NextStep: 'Call back' })
    // If-Unmodified-Since on GET: modified after the date → 412.
    expect((await call('GET', { 'if-unmodified-since': since })).status).toBe(412)
  })

  it('answers 400 for a malformed If-Unmodified-Since on a write and ignores a malformed If-Modified-Since on GET', async () => {
    const bad = await call('PATCH', { 'if-unmodified-since': '2030-01-01T00:00:00Z' }, { Amount: 5 })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual([{ errorCode: 'INVALID_HEADER_VALUE', message: expect.any(String) }])
    expect((await call('GET', { 'if-modified-since': 'yesterday' })).status).toBe(200)
  })

  it('sets LastModifiedById and LastModifiedDate from the user whose token made the change', async () => {
    const other = await emulator.control.addUser({
      username: 'editor@writeback.test',
      password: 'editor-pass',
      securityToken: 'tok',
      canReadOpportunities: true,
    })
    const otherToken = await accessToken({
      url: emulator.url,
      credentials: {
        ...emulator.credentials,
        username: 'editor@writeback.test',
        password: 'editor-pass',
        securityToken: 'tok',
      },
    })
    const before = await lastModified()
    expect((await call('PATCH', {}, { StageName: 'Qualification' }, otherToken)).status).toBe(204)
    const record = await conn.sobject('Opportunity').retrieve(id)
    expect(record['LastModifiedById']).toBe(other.id)
    expect(Date.parse(String(record['LastModifiedDate']))).toBeGreaterThan(before)
  })

  it('refuses a write by a user without edit access with INSUFFICIENT_ACCESS_OR_READONLY, reads still allowed', async () => {
    await emulator.control.addUser({
      username: 'reader@writeback.test',
      password: 'reader-pass',
      securityToken: 'tok',
      canEditOpportunities: false,
    })
    const readerToken = await accessToken({
      url: emulator.url,
      credentials: {
        ...emulator.credentials,
        username: 'reader@writeback.test',
        password: 'reader-pass',
        securityToken: 'tok',
      },
    })
    const before = await emulator.control.getRecord('Opportunity', id)
    const refused = await call('PATCH', {}, { NextStep: 'Not mine to change' }, readerToken)
    expect(refused).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
          message: 'insufficient access rights on object id',
          fields: [],
        },
      ],
    })
    expect((await call('GET', {}, undefined, readerToken)).status).toBe(200)
    expect(await emulator.control.getRecord('Opportunity', id)).toEqual(before)
    await emulator.control.updateUser('reader@writeback.test', { canEditOpportunities: true })
    expect((await call('PATCH', {}, { NextStep: 'Now I may' }, readerToken)).status).toBe(204)
  })

  it('answers a validation rule with FIELD_CUSTOM_VALIDATION_EXCEPTION, its message and error field', async () => {
    await emulator.control.updateRecord('Opportunity', id, { CloseDate: '2020-01-01' })
    await emulator.control.addValidationRule({
      object: 'Opportunity',
      field: 'CloseDate',
      operator: 'lessThan',
      value: 'TODAY',
      message: 'Close Date must be in the future',
    })
    const error = await jsforceError(conn.sobject('Opportunity').update({ Id: id, Amount: 10 }))
    expect(error).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Close Date must be in the future',
    })
    const raw = await call('PATCH', {}, { Amount: 10 })
    expect(raw).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Close Date must be in the future',
          fields: ['CloseDate'],
        },
      ],
    })
    // Saving a value that satisfies the rule passes.
    await conn.sobject('Opportunity').update({ Id: id, CloseDate: '2040-12-31' })
    expect((await emulator.control.getRecord('Opportunity', id))['CloseDate']).toBe('2040-12-31')
  })

  it('refuses a field that is read only for the API user, and describe says so', async () => {
    await emulator.control.writeRules({ readOnlyFields: ['Opportunity.Amount'] })
    const error = await jsforceError(conn.sobject('Opportunity').update({ Id: id, Amount: 99 }))
    expect(error).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' })
    const describe = await conn.sobject('Opportunity').describe()
    expect(describe.fields.find((f) => f.name === 'Amount')).toMatchObject({ updateable: false })
  })

  it('refuses a value outside a restricted picklist and accepts one of its values', async () => {
    await emulator.control.writeRules({ restrictPicklists: ['Opportunity.StageName'] })
    const error = await jsforceError(conn.sobject('Opportunity').update({ Id: id, StageName: 'Maybe' }))
    expect(error).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })
    const describe = await conn.sobject('Opportunity').describe()
    expect(describe.fields.find((f) => f.name === 'StageName')).toMatchObject({ restrictedPicklist: true })
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Negotiation/Review' })
    expect((await emulator.control.getRecord('Opportunity', id))['StageName']).toBe('Negotiation/Review')
  })

  it('answers a locked row with UNABLE_TO_LOCK_ROW while the fault lasts', async () => {
    await emulator.control.addFault({
      match: `PATCH /services/data/v${V}/sobjects/Opportunity/`,
      kind: 'unable_to_lock_row',
      times: 1,
    })
    const error = await jsforceError(conn.sobject('Opportunity').update({ Id: id, Amount: 7 }))
    expect(error).toMatchObject({ errorCode: 'UNABLE_TO_LOCK_ROW' })
    await conn.sobject('Opportunity').update({ Id: id, Amount: 7 })
    expect((await emulator.control.getRecord('Opportunity', id))['Amount']).toBe(7)
  })

  it('answers ENTITY_IS_DELETED for an update of a record in the recycle bin', async () => {
    await emulator.control.recordAction('Opportunity', id, 'delete')
    const error = await jsforceError(conn.sobject('Opportunity').update({ Id: id, Amount: 1 }))
    expect(error).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' })
  })
})
