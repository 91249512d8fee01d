// CSV import of assignments through the admin API: a dry run counts and writes nothing, a file with a bad line
// writes nothing and names the line, a good file writes every assignment at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeConnection, makeOpportunity } from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

describe('CSV import of assignments', () => {
  let t: TestApp
  let admin: Client
  let ids: string[] = []
  const memberships = () =>
    t.database.db.selectFrom('crm_opportunity_members').select(['user_id', 'opportunity_id']).execute()
  const post = async (csv: string, dryRun: boolean) => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/opportunities/members/import',
      payload: { csv, dryRun },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ rows: number; added: number; unchanged: number; errors: unknown[] }>()
  }

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    admin = (await t.signInNew({ role: 'admin' })).client
    await t.createUser({ email: 'ann@example.com' })
    await t.createUser({ email: 'bob@example.com' })
    const connectionId = (await makeConnection(t.database.db)).id
    ids = [
      (await makeOpportunity(t.database.db, connectionId)).id,
      (await makeOpportunity(t.database.db, connectionId)).id,
    ]
  })
  afterAll(() => t?.close())

  it('checks and counts on a dry run without writing; a bad line stops the whole file', async () => {
    const good = `email,opportunity_id\nann@example.com,${ids[0]}\nBob@Example.com,${ids[1]?.slice(0, 15)}\n`
    expect(await post(good, true)).toEqual({ dryRun: true, rows: 2, added: 2, unchanged: 0, errors: [] })
    expect(await memberships()).toEqual([])

    const bad = `${good}nobody@example.com,${ids[0]}\n`
    expect(await post(bad, false)).toMatchObject({
      added: 0,
      errors: [{ line: 4, message: 'no active user has the email nobody@example.com' }],
    })
    expect(await memberships()).toEqual([])
  })

  it('writes every assignment of a good file, and a second import changes nothing', async () => {
    const good = `email,opportunity_id\nann@example.com,${ids[0]}\nbob@example.com,${ids[1]}\n`
    expect(await post(good, false)).toMatchObject({ rows: 2, added: 2, unchanged: 0, errors: [] })
    expect(await memberships()).toHaveLength(2)
    expect(await post(good, false)).toMatchObject({ rows: 2, added: 0, unchanged: 2, errors: [] })
  })

  it('takes a file up to the contract limit although its JSON is larger than the default body limit', async () => {
    // 1.5 million blank lines: 3 MB of JSON (escaped newlines), above BODY_LIMIT_BYTES' 1 MiB default.
    const padded = `email,opportunity_id\nann@example.com,${ids[0]}\n${'\n'.repeat(1_500_000)}`
    expect(await post(padded, true)).toMatchObject({ rows: 1, errors: [] })
  })
})
