// Contract tests: unmodified jsforce against the running emulator — REST query paging with queryMore, queryAll,
// COUNT(), SOQL errors, and a Bulk API 2.0 query job driven through raw REST calls (conn.request).

import type { Connection } from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const VERSION = '62.0'

describe('jsforce against the emulator: query and Bulk 2.0', () => {
  let emulator: RunningEmulator
  let conn: Connection

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 2500, seed: 7 })
    conn = await jsforceConnection(emulator, VERSION)
  })
  afterAll(() => emulator.close())

  it('pages with queryMore using the batch size from Sforce-Query-Options', async () => {
    const soql =
      'SELECT Id, Name, Account.Name, Owner.Email, Amount, CloseDate, SystemModstamp FROM Opportunity ORDER BY SystemModstamp, Id'
    let page = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=500' } })
    expect(page.done).toBe(false)
    expect(page.records).toHaveLength(500)
    expect(page.nextRecordsUrl).toMatch(new RegExp(`/services/data/v${VERSION}/query/01g\\w{15}-500$`))
    const ids = new Set(page.records.map((r) => r.Id))
    const total = page.totalSize
    let pages = 1
    while (!page.done && page.nextRecordsUrl) {
      // queryMore's typings want every option; these are jsforce's defaults apart from the header.
      page = await conn.queryMore(page.nextRecordsUrl, {
        headers: { 'Sforce-Query-Options': 'batchSize=500' },
        autoFetch: false,
        maxFetch: 10_000,
        scanAll: false,
        responseTarget: 'QueryResult',
      })
      for (const r of page.records) ids.add(r.Id)
      pages++
    }
    expect(ids.size).toBe(total)
    expect(pages).toBe(Math.ceil(total / 500))
    expect(conn.limitInfo?.apiUsage?.used).toBeGreaterThan(0)
    const first = (await conn.query(soql)).records[0] as Record<string, unknown>
    expect(first['SystemModstamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/)
    expect(first['CloseDate']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('counts with COUNT() and sees deleted rows only through queryAll', async () => {
    const active = await conn.query('SELECT COUNT() FROM Opportunity')
    expect(active.records).toEqual([])
    const all = await conn.query('SELECT COUNT() FROM Opportunity', { scanAll: true })
    // delete one opportunity through the REST API, then compare /query and /queryAll
    const victim = (await conn.query('SELECT Id FROM Opportunity LIMIT 1')).records[0]?.Id ?? ''
    await conn.sobject('Opportunity').destroy(victim)
    const after = await conn.query('SELECT COUNT() FROM Opportunity')
    expect(after.totalSize).toBe(active.totalSize - 1)
    const deleted = await conn.query(`SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${victim}'`, {
      scanAll: true,
    })
    expect(deleted.records[0]?.['IsDeleted']).toBe(true)
    expect((await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${victim}'`)).totalSize).toBe(0)
    const allAfter = await conn.query('SELECT COUNT() FROM Opportunity', { scanAll: true })
    expect(allAfter.totalSize).toBe(all.totalSize) // the deleted row is still there for queryAll
  })

  it('surfaces Salesforce error codes', async () => {
    await expect(conn.query('SELECT Id FROM ScratchOrgInfo LIMIT 1')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    })
    await expect(conn.query('SELECT Bacon__c FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    })
    await expect(conn.query('SELECT Id FRM Opportunity')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    })
    await expect(
      conn.query('SELECT StageName, AVG(Amount) FROM Opportunity GROUP BY StageName'),
    ).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    })
    await expect(conn.queryMore('01gAAAAAAAAAAAAAAA-2000')).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    })
  })

  it('runs a Bulk API 2.0 query job through raw REST calls', async () => {
    const job = await conn.request<{ id: string; state: string }>({
      method: 'POST',
      url: `/services/data/v${VERSION}/jobs/query`,
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, Account.Name FROM Opportunity' }),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(job.state).toBe('UploadComplete')
    const states = new Set<string>()
    for (let i = 0; i < 100; i++) {
      const info = await conn.request<{ state: string }>(`/services/data/v${VERSION}/jobs/query/${job.id}`)
      states.add(info.state)
      if (info.state === 'JobComplete') break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect([...states]).toEqual(expect.arrayContaining(['InProgress', 'JobComplete']))
    // conn.request exposes only the body; a transport wrapper reads the Sforce-Locator header jsforce would see.
    const transport = (
      conn as unknown as {
        _transport: { httpRequest: (...a: unknown[]) => Promise<{ headers: Record<string, string> }> }
      }
    )._transport
    let lastHeaders: Record<string, string> = {}
    const spy = {
      httpRequest: (...a: unknown[]) => {
        const p = transport.httpRequest(...a)
        void p.then((res) => (lastHeaders = res.headers))
        return p
      },
    }
    let locator: string | undefined
    let rows = 0
    let pages = 0
    do {
      const url = `/services/data/v${VERSION}/jobs/query/${job.id}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`
      const body = await conn.request<Record<string, string>[]>(url, { transport: spy })
      rows += body.length
      if (body[0]) expect(Object.keys(body[0])).toEqual(['Id', 'Name', 'Account.Name'])
      pages++
      expect(Number(lastHeaders['sforce-numberofrecords'])).toBe(body.length)
      locator = lastHeaders['sforce-locator']
    } while (locator && locator !== 'null')
    const count = await conn.query('SELECT COUNT() FROM Opportunity')
    expect(rows).toBe(count.totalSize)
    expect(pages).toBe(Math.ceil(count.totalSize / 1000))
  })
})
