// Portal edits written to Salesforce through the CrmSession, against the emulator: the conditional PATCH, the
// record read back with who changed it, and each refusal as its SalesforceError kind.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../../../emulator/start-emulator.js'
import type { CallPolicy, CrmProvider, CrmSession, Grant, OAuthApp } from '../crm-provider.js'
import { createOutboundGuard } from './outbound-guard.js'
import { createSalesforceProvider } from './salesforce-provider.js'
import type { SalesforceError } from './salesforce-errors.js'

const FIELDS = ['StageName', 'Amount', 'CloseDate', 'NextStep']

describe('writing opportunities to Salesforce', () => {
  let emulator: RunningEmulator
  let provider: CrmProvider
  let app: OAuthApp
  let session: CrmSession
  let other: CrmSession
  let id = ''
  const retries: number[] = []
  const writeRetry: CallPolicy = {
    attempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    onRetry: (_error, attempt) => void retries.push(attempt),
    sleep: async () => undefined,
    random: () => 0.5,
  }
  const open = async (grant: Grant) => {
    const tokens = await provider.signIn(app, grant)
    return provider.openSession(tokens, { reauthenticate: () => provider.signIn(app, grant), writeRetry })
  }
  const failure = async (promise: Promise<unknown>) =>
    (await promise.then(
      () => undefined,
      (error: unknown) => error,
    )) as SalesforceError | undefined

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 3, seed: 16 })
    provider = createSalesforceProvider({
      guard: createOutboundGuard(['127.0.0.1:*']),
      apiVersion: '62.0',
      timeoutMs: 10_000,
    })
    const c = emulator.credentials
    app = { loginUrl: emulator.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret }
    session = await open({
      type: 'password',
      username: c.username,
      password: c.password,
      securityToken: c.securityToken,
    })
    await emulator.control.addUser({
      username: 'second@writer.test',
      password: 'second-pass',
      securityToken: 'tok',
      canReadOpportunities: true,
    })
    other = await open({
      type: 'password',
      username: 'second@writer.test',
      password: 'second-pass',
      securityToken: 'tok',
    })
  })
  beforeEach(async () => {
    retries.length = 0
    await emulator.control.clearFaults()
    await emulator.control.clearValidationRules()
    id = (
      await emulator.control.insertRecord('Opportunity', {
        Name: 'Writer deal',
        StageName: 'Prospecting',
        CloseDate: '2030-01-01',
        Amount: 100,
      })
    ).id
    await emulator.control.advanceClock(2_000)
  })
  afterAll(() => emulator.close())

  it('writes only the given fields when the record has not changed, and reads it back with who changed it', async () => {
    const seen = await session.currentOpportunity(id, FIELDS)
    expect(seen?.values).toEqual({
      StageName: 'Prospecting',
      Amount: 100,
      CloseDate: '2030-01-01',
      NextStep: null,
    })
    await session.updateOpportunity({
      id,
      values: { StageName: 'Qualification' },
      ifUnmodifiedSince: seen?.lastModifiedDate,
    })
    const now = await session.currentOpportunity(id, FIELDS)
    expect(now?.values).toMatchObject({ StageName: 'Qualification', Amount: 100 })
    expect(now?.lastModifiedBy).toEqual({ id: emulator.org.integrationUserId, name: expect.any(String) })
    expect(await session.currentOpportunity('006000000000000AAA', FIELDS)).toBeUndefined()
  })

  it('refuses with conflict when another user changed the record after it was read', async () => {
    const seen = await session.currentOpportunity(id, FIELDS)
    await emulator.control.advanceClock(2_000)
    await other.updateOpportunity({ id, values: { Amount: 250 } })
    const error = await failure(
      session.updateOpportunity({ id, values: { Amount: 300 }, ifUnmodifiedSince: seen?.lastModifiedDate }),
    )
    expect(error?.kind).toBe('conflict')
    const now = await session.currentOpportunity(id, FIELDS)
    expect(now?.values['Amount']).toBe(250)
    expect(now?.lastModifiedBy.name).toBeTruthy()
    expect(now?.lastModifiedBy.id).not.toBe(emulator.org.integrationUserId)
  })

  it('names the validation rule message and its field', async () => {
    await emulator.control.addValidationRule({
      object: 'Opportunity',
      field: 'Amount',
      operator: 'lessThan',
      value: 0,
      message: 'Amount cannot be negative',
    })
    const error = await failure(session.updateOpportunity({ id, values: { Amount: -5 } }))
    expect(error).toMatchObject({
      kind: 'validation',
      message: 'Amount cannot be negative',
      fields: ['Amount'],
    })
  })

  it('translates read-only fields, bad picklist values and deleted records', async () => {
    expect((await failure(session.updateOpportunity({ id, values: { IsWon: true } })))?.kind).toBe(
      'read_only_field',
    )
    await emulator.control.writeRules({ restrictPicklists: ['Opportunity.StageName'] })
    const picklist = await failure(session.updateOpportunity({ id, values: { StageName: 'Nope' } }))
    expect(picklist).toMatchObject({ kind: 'bad_picklist_value', fields: ['StageName'] })
    await emulator.control.writeRules({ unrestrictPicklists: ['Opportunity.StageName'] })
    await emulator.control.recordAction('Opportunity', id, 'delete')
    expect((await failure(session.updateOpportunity({ id, values: { Amount: 1 } })))?.kind).toBe('deleted')
  })

  it('retries a locked row with backoff and gives up with locked when it stays locked', async () => {
    const match = `PATCH /services/data/v62.0/sobjects/Opportunity/${id}`
    await emulator.control.addFault({ match, kind: 'unable_to_lock_row', times: 2 })
    await session.updateOpportunity({ id, values: { NextStep: 'Send quote' } })
    expect(retries).toEqual([1, 2])
    expect((await session.currentOpportunity(id, FIELDS))?.values['NextStep']).toBe('Send quote')
    await emulator.control.addFault({ match, kind: 'unable_to_lock_row' })
    expect((await failure(session.updateOpportunity({ id, values: { NextStep: 'x' } })))?.kind).toBe('locked')
  })

  it('signs in again once when the session expired, and reports the API limit', async () => {
    await emulator.control.expireTokens()
    await session.updateOpportunity({ id, values: { Amount: 111 } })
    expect((await emulator.control.getRecord('Opportunity', id))['Amount']).toBe(111)
    await emulator.control.addFault({ match: 'PATCH /services/data', kind: 'request_limit', times: 1 })
    expect((await failure(session.updateOpportunity({ id, values: { Amount: 2 } })))?.kind).toBe(
      'request_limit_exceeded',
    )
  })

  it('lists fields with updateability and picklist values in the org order', async () => {
    const fields = await session.describeOpportunityFields()
    const stage = fields.find((field) => field.name === 'StageName')
    expect(stage).toMatchObject({ updateable: true, type: 'picklist' })
    expect(stage?.picklistValues[0]).toEqual({ value: 'Prospecting', label: 'Prospecting' })
    expect(fields.find((field) => field.name === 'IsWon')?.updateable).toBe(false)
  })
})
