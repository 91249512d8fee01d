// sObject Collections (sources in collections.ts) through jsforce's multi-record create, update, retrieve and
// destroy, which send every array to /composite/sobjects; raw HTTP for the GET retrieve and the malformed cases.
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

type SaveResult = {
  id?: string
  success: boolean
  errors: Array<{ statusCode: string; message: string; fields: string[] }>
}

describe('sObject Collections', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  const deal = (name: string, extra: Record<string, unknown> = {}) => ({
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2027-03-01',
    ...extra,
  })
  const collectionCalls = () =>
    emulator.org.requestLog.filter((r) => r.path.includes('/composite/sobjects')).length
  const count = async (soql: string) => (await conn.query(soql)).totalSize

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 20, seed: 31 })
    conn = await jsforceConnection(emulator, V)
  })
  afterAll(() => emulator.close())

  it('creates, retrieves, updates and deletes several records, one call each', async () => {
    const before = collectionCalls()
    const created = (await conn
      .sobject('Opportunity')
      .create([deal('Coll A', { Amount: 10 }), deal('Coll B', { Amount: 20 })])) as SaveResult[]
    expect(created).toEqual([
      { id: expect.stringMatching(/^006\w{15}$/), success: true, errors: [] },
      { id: expect.stringMatching(/^006\w{15}$/), success: true, errors: [] },
    ])
    const ids = created.map((r) => r.id as string)
    const read = (await conn.sobject('Opportunity').retrieve(ids)) as Array<Record<string, unknown>>
    expect(read.map((r) => [r['Name'], r['Amount'], r['OwnerId']])).toEqual([
      ['Coll A', 10, emulator.org.integrationUserId],
      ['Coll B', 20, emulator.org.integrationUserId],
    ])
    const updated = (await conn
      .sobject('Opportunity')
      .update(ids.map((Id) => ({ Id, StageName: 'Closed Won' })))) as SaveResult[]
    expect(updated).toEqual(ids.map((id) => ({ id, success: true, errors: [] })))
    expect(await count(`SELECT Id FROM Opportunity WHERE IsWon = true AND Name LIKE 'Coll %'`)).toBe(2)
    const deleted = (await conn.sobject('Opportunity').destroy(ids)) as SaveResult[]
    expect(deleted).toEqual(ids.map((id) => ({ id, success: true, errors: [] })))
    expect(await count(`SELECT Id FROM Opportunity WHERE Name LIKE 'Coll %'`)).toBe(0)
    expect(collectionCalls() - before).toBe(4)
  })

  it('answers each record on its own when allOrNone is false', async () => {
    const results = (await conn
      .sobject('Opportunity')
      .create([
        deal('Partial ok'),
        deal('Partial bad', { Amount: 'lots' }),
        { Name: 'No stage' },
      ])) as SaveResult[]
    expect(results[0]).toEqual({ id: expect.any(String), success: true, errors: [] })
    expect(results[1]).toEqual({
      success: false,
      errors: [{ statusCode: 'JSON_PARSER_ERROR', message: expect.any(String), fields: [] }],
    })
    expect(results[2]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [StageName, CloseDate]',
          fields: ['StageName', 'CloseDate'],
        },
      ],
    })
    expect(await count(`SELECT Id FROM Opportunity WHERE Name LIKE 'Partial %'`)).toBe(1)
    const gone = (await conn
      .sobject('Opportunity')
      .destroy([results[0]?.id as string, '006short'])) as SaveResult[]
    expect(gone[0]).toMatchObject({ success: true })
    expect(gone[1]).toEqual({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id 006short', fields: [] }],
    })
    const again = (await conn.sobject('Opportunity').destroy([results[0]?.id as string])) as SaveResult[]
    expect(again[0]?.errors[0]?.statusCode).toBe('ENTITY_IS_DELETED')
  })

  it('rolls everything back when allOrNone is true and one record fails', async () => {
    const results = (await conn
      .sobject('Opportunity')
      .create([deal('Atomic A'), deal('Atomic B', { IsWon: true })], { allOrNone: true })) as SaveResult[]
    expect(results[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    })
    expect(results[1]?.errors[0]).toMatchObject({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsWon'],
    })
    expect(await count(`SELECT Id FROM Opportunity WHERE Name LIKE 'Atomic %'`)).toBe(0)

    const [first] = (
      await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Opportunity LIMIT 1')
    ).records
    const update = (await conn.sobject('Opportunity').update(
      [
        { Id: first?.Id as string, NextStep: 'Rolled back' },
        { Id: '006000000000999AAA', NextStep: 'No such record' },
      ],
      { allOrNone: true },
    )) as SaveResult[]
    expect(update.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_CROSS_REFERENCE_KEY',
    ])
    expect(await count(`SELECT Id FROM Opportunity WHERE NextStep = 'Rolled back'`)).toBe(0)
    const destroy = (await conn
      .sobject('Opportunity')
      .destroy([first?.Id as string, 'bad'], { allOrNone: true })) as SaveResult[]
    expect(destroy.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'MALFORMED_ID',
    ])
    expect(await count(`SELECT Id FROM Opportunity WHERE Id = '${first?.Id as string}'`)).toBe(1)
  })

  it('retrieves by GET with ids and fields, null for an id of no record, 400 for an unknown field', async () => {
    const [first] = (
      await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Opportunity LIMIT 1')
    ).records
    const get = (query: string) =>
      fetch(`${emulator.url}/services/data/v${V}/composite/sobjects/Opportunity?${query}`, {
        headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
      })
    const response = await get(`ids=${first?.Id as string},006000000000999AAA&fields=Id,Name`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual([
      {
        attributes: {
          type: 'Opportunity',
          url: `/services/data/v${V}/sobjects/Opportunity/${first?.Id as string}`,
        },
        Id: first?.Id,
        Name: first?.Name,
      },
      null,
    ])
    const unknown = await get(`ids=${first?.Id as string}&fields=Id,Bogus__c`)
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD' })])
  })

  it('refuses more than 200 records and records without a type with 400', async () => {
    const post = (records: unknown[]) =>
      fetch(`${emulator.url}/services/data/v${V}/composite/sobjects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${conn.accessToken ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allOrNone: false, records }),
      })
    const many = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Opportunity' },
      ...deal(`Many ${i}`),
    }))
    expect((await post(many)).status).toBe(400)
    expect((await post([deal('Untyped')])).status).toBe(400)
    expect(await count(`SELECT Id FROM Opportunity WHERE Name LIKE 'Many %'`)).toBe(0)
  })
})
