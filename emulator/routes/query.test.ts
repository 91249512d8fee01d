import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteGuard } from '../soql/http-glue.js'
import type { MemorySource } from '../soql/testing/memory-source.js'
import { makeId, sampleOrg } from '../soql/testing/memory-source.js'
import { registerQueryRoutes } from './query.js'

// A stand-in for the shared auth + limits guard: Bearer "good" passes, anything else gets Salesforce's 401.
let calls = 0
const guard: RouteGuard = (request, reply) => {
  calls++
  if (request.headers.authorization !== 'Bearer good') {
    void reply.code(401).send([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
    return Promise.resolve(undefined)
  }
  void reply.header('sforce-limit-info', `api-usage=${calls}/15000`)
  return Promise.resolve({ userId: makeId('005', 1) })
}

function org(): MemorySource {
  const ds = sampleOrg()
  for (let i = 100; i < 2600; i++)
    ds.add('Opportunity', { Id: makeId('006', i), Name: `Bulk ${i}`, Amount: i, OwnerId: makeId('005', 1) })
  return ds
}

describe('query routes', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify()
    registerQueryRoutes(app, { data: org(), guard })
    await app.ready()
  })
  afterAll(() => app.close())

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: 'Bearer good', ...headers } })

  it('pages through /query with the Sforce-Query-Options batch size and /query/<locator>', async () => {
    const q = encodeURIComponent('SELECT Id, Name, Account.Name FROM Opportunity ORDER BY Amount')
    const first = await get(`/services/data/v60.0/query?q=${q}`, { 'sforce-query-options': 'batchSize=1000' })
    expect(first.statusCode).toBe(200)
    expect(first.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(first.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/15000$/)
    const body = first.json<{
      totalSize: number
      done: boolean
      nextRecordsUrl: string
      records: unknown[]
    }>()
    expect(body.totalSize).toBe(2505)
    expect(body.records).toHaveLength(1000)
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v60\.0\/query\/01g\w{15}-1000$/)
    let next: string | undefined = body.nextRecordsUrl
    let total = body.records.length
    while (next) {
      const page = await get(next, { 'sforce-query-options': 'batchSize=1000' })
      const b = page.json<{ done: boolean; nextRecordsUrl?: string; records: unknown[] }>()
      total += b.records.length
      next = b.nextRecordsUrl
    }
    expect(total).toBe(2505)
  })

  it('accepts the locator under /queryAll/ and another version', async () => {
    const first = await get(
      `/services/data/v60.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`,
    )
    const body = first.json<{ totalSize: number; nextRecordsUrl: string }>()
    expect(body.totalSize).toBe(2506) // includes the deleted fixture row
    const locator = body.nextRecordsUrl.split('/').pop() ?? ''
    const again = await get(`/services/data/v59.0/queryAll/${locator}`)
    expect(again.statusCode).toBe(200)
    expect(again.json<{ records: { attributes: { url: string } }[] }>().records[0]?.attributes.url).toContain(
      '/services/data/v59.0/',
    )
  })

  it('returns Salesforce errors as JSON arrays', async () => {
    const scratch = await get(
      `/services/data/v51.0/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo limit 1')}`,
    )
    expect(scratch.statusCode).toBe(400)
    expect(scratch.json<{ errorCode: string }[]>()[0]?.errorCode).toBe('INVALID_TYPE')
    const locator = await get('/services/data/v60.0/query/01gXXXXXXXXXXXXXXX-2000')
    expect(locator.statusCode).toBe(400)
    expect(locator.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }])
    const missing = await get('/services/data/v60.0/query')
    expect(missing.json<{ errorCode: string }[]>()[0]?.errorCode).toBe('MALFORMED_QUERY')
    const badVersion = await get(
      `/services/data/v20.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
    )
    // Retired (API End-of-Life Policy): 410; a version no release has had: 404.
    expect(badVersion.statusCode).toBe(410)
    expect((await get('/services/data/v99.0/query?q=SELECT+Id+FROM+Account')).statusCode).toBe(404)
    const unauth = await app.inject({
      method: 'GET',
      url: '/services/data/v60.0/query?q=SELECT+Id+FROM+Account',
    })
    expect(unauth.statusCode).toBe(401)
  })

  it('answers COUNT() and the columns=true variant', async () => {
    const count = await get(
      `/services/data/v60.0/query?q=${encodeURIComponent('SELECT COUNT() FROM Opportunity')}`,
    )
    expect(count.json()).toEqual({ totalSize: 2505, done: true, records: [] })
    const cols = await get(
      `/services/data/v60.0/query?q=${encodeURIComponent('SELECT Name, Owner.Email FROM Opportunity')}&columns=true`,
    )
    const meta = cols.json<{
      columnMetadata: { columnName: string; joinColumns: { columnName: string }[] }[]
    }>()
    expect(meta.columnMetadata.map((c) => c.columnName)).toEqual(['Name', 'Owner'])
    expect(meta.columnMetadata[1]?.joinColumns[0]?.columnName).toBe('Email')
  })
})
