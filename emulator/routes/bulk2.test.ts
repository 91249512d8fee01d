import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BulkJobStore } from '../soql/bulk-jobs.js'
import type { RouteGuard } from '../soql/http-glue.js'
import { makeId, sampleOrg } from '../soql/testing/memory-source.js'
import { registerBulk2Routes } from './bulk2.js'

const guard: RouteGuard = () => Promise.resolve({ userId: makeId('005', 1) })

describe('Bulk API 2.0 query job routes', () => {
  let app: FastifyInstance
  let wall = 0
  let created = 0
  const ds = sampleOrg()
  for (let i = 100; i < 350; i++)
    ds.add('Opportunity', { Id: makeId('006', i), Name: `Bulk "${i}"`, Amount: i })

  beforeAll(async () => {
    app = Fastify()
    const jobs = new BulkJobStore({ ds, wallClock: () => wall, inProgressAfterMs: 100, completeAfterMs: 300 })
    registerBulk2Routes(app, { data: ds, guard, jobs, countBulkQueryJob: () => ++created <= 2 })
    await app.ready()
  })
  afterAll(() => app.close())

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}) })

  it('creates a job, shows the state progression, pages results by locator until null', async () => {
    const create = await call('POST', '/services/data/v60.0/jobs/query', {
      operation: 'query',
      query: "SELECT Id, Name, Account.Name FROM Opportunity WHERE Name LIKE 'Bulk%' ORDER BY Amount",
    })
    expect(create.statusCode).toBe(200)
    const job = create.json<{
      id: string
      state: string
      apiVersion: number
      object: string
      columnDelimiter: string
    }>()
    expect(job.id).toMatch(/^750\w{15}$/)
    expect(job).toMatchObject({
      state: 'UploadComplete',
      apiVersion: 60,
      object: 'Opportunity',
      columnDelimiter: 'COMMA',
    })

    const early = await call('GET', `/services/data/v60.0/jobs/query/${job.id}/results`)
    expect(early.statusCode).toBe(412)
    expect(early.json<{ errorCode: string }[]>()[0]?.errorCode).toBe('JOB_NOT_COMPLETE')

    wall = 150
    expect(
      (await call('GET', `/services/data/v60.0/jobs/query/${job.id}`)).json<{ state: string }>().state,
    ).toBe('InProgress')
    wall = 400
    const done = (await call('GET', `/services/data/v60.0/jobs/query/${job.id}`)).json<{
      state: string
      numberRecordsProcessed: number
    }>()
    expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 250 })

    const lines: string[] = []
    let locator: string | undefined
    let pages = 0
    do {
      const res = await call(
        'GET',
        `/services/data/v60.0/jobs/query/${job.id}/results?maxRecords=100${locator ? `&locator=${locator}` : ''}`,
      )
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('text/csv')
      const rows = res.body.trimEnd().split('\n')
      expect(rows[0]).toBe('"Id","Name","Account.Name"')
      expect(Number(res.headers['sforce-numberofrecords'])).toBe(rows.length - 1)
      lines.push(...rows.slice(1))
      locator = String(res.headers['sforce-locator'])
      pages++
    } while (locator !== 'null')
    expect(pages).toBe(3)
    expect(lines).toHaveLength(250)
    expect(lines[0]).toBe(`"${makeId('006', 100)}","Bulk ""100""",`)

    const mismatch = await call('GET', `/services/data/v61.0/jobs/query/${job.id}/results`)
    expect(mismatch.statusCode).toBe(409)

    const list = (await call('GET', '/services/data/v60.0/jobs/query')).json<{
      done: boolean
      records: { id: string }[]
    }>()
    expect(list.done).toBe(true)
    expect(list.records.map((r) => r.id)).toContain(job.id)

    expect((await call('DELETE', `/services/data/v60.0/jobs/query/${job.id}`)).statusCode).toBe(204)
    expect((await call('GET', `/services/data/v60.0/jobs/query/${job.id}`)).statusCode).toBe(404)
  })

  it('aborts an unfinished job; rejects unsupported SOQL; enforces the daily job allocation', async () => {
    wall = 1000
    const job = (
      await call('POST', '/services/data/v60.0/jobs/query', {
        operation: 'queryAll',
        query: 'SELECT Id FROM Account',
      })
    ).json<{ id: string }>()
    const aborted = await call('PATCH', `/services/data/v60.0/jobs/query/${job.id}`, { state: 'Aborted' })
    expect(aborted.json<{ state: string }>().state).toBe('Aborted')
    wall = 5000
    expect(
      (await call('GET', `/services/data/v60.0/jobs/query/${job.id}`)).json<{ state: string }>().state,
    ).toBe('Aborted')
    expect(
      (await call('PATCH', `/services/data/v60.0/jobs/query/${job.id}`, { state: 'Aborted' })).statusCode,
    ).toBe(400)

    const count = await call('POST', '/services/data/v60.0/jobs/query', {
      operation: 'query',
      query: 'SELECT COUNT() FROM Account',
    })
    expect(count.statusCode).toBe(400)
    const badField = await call('POST', '/services/data/v60.0/jobs/query', {
      operation: 'query',
      query: 'SELECT Nope FROM Account',
    })
    expect(badField.json<{ errorCode: string }[]>()[0]?.errorCode).toBe('INVALID_FIELD')
    const badBody = await call('POST', '/services/data/v60.0/jobs/query', {
      operation: 'upsert',
      query: 'SELECT Id FROM Account',
    })
    expect(badBody.statusCode).toBe(400)
    const over = await call('POST', '/services/data/v60.0/jobs/query', {
      operation: 'query',
      query: 'SELECT Id FROM Account',
    })
    expect(over.statusCode).toBe(403)
    expect(over.json<{ errorCode: string }[]>()[0]?.errorCode).toBe('REQUEST_LIMIT_EXCEEDED')
    expect((await call('GET', '/services/data/v60.0/jobs/query/750000000000000AAA')).statusCode).toBe(404)
    expect((await call('GET', '/services/data/v46.0/jobs/query')).statusCode).toBe(404)
  })
})
