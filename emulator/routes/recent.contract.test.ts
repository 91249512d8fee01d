// SOQL FOR VIEW / FOR REFERENCE and the lists they feed (issue 14 items 2 and 4), through unmodified jsforce
// where it has a call (query, recent(), sobject().recent(), retrieve) and raw HTTP for the rest.
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

interface Row {
  Id: string
  Name: string
  LastViewedDate: string | null
  LastReferencedDate: string | null
  SystemModstamp: string
  LastModifiedDate: string
}

describe('recently viewed records', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  let rows: Row[]

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 10, seed: 7 })
    conn = await jsforceConnection(emulator, V)
    const fields = 'Id, Name, LastViewedDate, LastReferencedDate, SystemModstamp, LastModifiedDate'
    rows = (await conn.query<Row>(`SELECT ${fields} FROM Opportunity ORDER BY Name`)).records
  })
  afterAll(() => emulator.close())

  const retrieve = async (id: string) => (await conn.sobject('Opportunity').retrieve(id)) as unknown as Row
  const get = (path: string) =>
    fetch(`${emulator.url}/services/data/v${V}${path}`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    })

  it('starts with nothing viewed', async () => {
    expect(rows.every((r) => r.LastViewedDate === null && r.LastReferencedDate === null)).toBe(true)
    expect(await conn.sobject('Opportunity').recent()).toEqual([])
  })

  it('FOR VIEW marks the retrieved records viewed without changing them', async () => {
    const [first, second] = rows as [Row, Row]
    const viewed = await conn.query<{ Id: string }>(
      `SELECT Id FROM Opportunity WHERE Id IN ('${first.Id}', '${second.Id}') FOR VIEW`,
    )
    expect(viewed.records.map((r) => r.Id).sort()).toEqual([first.Id, second.Id].sort())
    const after = await retrieve(first.Id)
    expect(after.LastViewedDate).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(after.LastReferencedDate).toBeNull()
    // Viewing is not an edit: neither modification stamp moves.
    expect(after.SystemModstamp).toBe(first.SystemModstamp)
    expect(after.LastModifiedDate).toBe(first.LastModifiedDate)
    const recent = await conn.sobject('Opportunity').recent()
    expect(recent.map((r) => r.Id).sort()).toEqual([first.Id, second.Id].sort())
    expect(recent[0]).toEqual({
      attributes: { type: 'Opportunity', url: `/services/data/v${V}/sobjects/Opportunity/${recent[0]?.Id}` },
      Id: recent[0]?.Id,
      Name: rows.find((r) => r.Id === recent[0]?.Id)?.Name,
    })
  })

  it('FOR REFERENCE sets LastReferencedDate and puts the newest first', async () => {
    const third = rows[2] as Row
    await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${third.Id}' FOR REFERENCE`)
    const after = await retrieve(third.Id)
    expect(after.LastReferencedDate).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(after.LastViewedDate).toBeNull()
    const recent = (await conn.recent()) as Array<{ Id: string }>
    expect(recent.map((r) => r.Id)[0]).toBe(third.Id)
    expect(recent).toHaveLength(3)
    const limited = await get('/recent?limit=1')
    expect(await limited.json()).toEqual([expect.objectContaining({ Id: third.Id, Name: third.Name })])
    expect((await get('/recent?limit=none')).status).toBe(400)
    // Filtering on the stamp works as for any datetime field.
    const referenced = await conn.query<{ Id: string }>(
      'SELECT Id FROM Opportunity WHERE LastReferencedDate != null',
    )
    expect(referenced.records.map((r) => r.Id)).toEqual([third.Id])
  })

  it('leaves deleted records out of the lists', async () => {
    const third = rows[2] as Row
    await conn.sobject('Opportunity').destroy(third.Id)
    const recent = (await conn.recent()) as Array<{ Id: string }>
    expect(recent.map((r) => r.Id)).not.toContain(third.Id)
    expect(recent).toHaveLength(2)
  })

  it('offers the stamps read-only in describe and still refuses FOR UPDATE', async () => {
    const describe = await conn.sobject('Opportunity').describe()
    for (const name of ['LastViewedDate', 'LastReferencedDate']) {
      expect(describe.fields.find((f) => f.name === name)).toMatchObject({
        type: 'datetime',
        updateable: false,
        createable: false,
        nillable: true,
      })
    }
    const forUpdate = await get(
      `/query?q=${encodeURIComponent('SELECT Id FROM Opportunity LIMIT 1 FOR UPDATE')}`,
    )
    expect(forUpdate.status).toBe(400)
  })
})
