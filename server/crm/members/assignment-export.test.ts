// CSV export of assignments (who may call it: opportunities.access.test.ts): an attachment, one row per assignment of an active user on a live
// opportunity with its source, spreadsheet formulas defused, read a page at a time; and the round trip: the
// exported file imported as a dry run finds every assignment already there.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { assignmentRows } from './assignment-export.js'

describe('CSV export of assignments', () => {
  let t: TestApp
  let admin: Client
  const ids = { plain: '', formula: '', deleted: '', automatic: '' }
  const users = { ann: '', plus: '', gone: '', carl: '' }
  const exportCsv = async () => {
    const response = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/members/export',
    })
    expect(response.statusCode, response.body).toBe(200)
    return response
  }
  const importCsv = async (csv: string) => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/opportunities/members/import',
      payload: { csv, dryRun: true },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ rows: number; added: number; unchanged: number; errors: unknown[] }>()
  }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    users.ann = (await t.createUser({ email: 'ann@example.com' })).id
    users.plus = (await t.createUser({ email: '+plus@example.com' })).id
    users.gone = (await t.createUser({ email: 'gone@example.com', isActive: false })).id
    users.carl = (await t.createUser({ email: 'carl@example.com' })).id
    const connectionId = (await makeConnection(db)).id
    ids.plain = (await makeOpportunity(db, connectionId, { name: 'Stark Upgrade, phase "2"' })).id
    ids.formula = (await makeOpportunity(db, connectionId, { name: '=HYPERLINK("https://x.test")' })).id
    ids.deleted = (await makeOpportunity(db, connectionId, { is_deleted: true })).id
    ids.automatic = (await makeOpportunity(db, connectionId, { name: 'Wayne Renewal' })).id
    await assignManually(db, users.ann, [ids.plain, ids.formula, ids.deleted])
    await assignManually(db, users.plus, [ids.plain])
    await assignManually(db, users.gone, [ids.plain])
    await setCrmModuleEnabled(db, true)
  })
  afterAll(() => t?.close())

  it('sends every live assignment of an active user as a CSV attachment, formulas defused', async () => {
    const response = await exportCsv()
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe('attachment; filename="assignments.csv"')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.body.startsWith('\uFEFFemail,opportunity_id,opportunity_name,source\n')).toBe(true)
    const rows = parse<Record<string, string>>(response.body, { bom: true, columns: true })
    expect(rows).toHaveLength(3)
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          email: 'ann@example.com',
          opportunity_id: ids.plain,
          opportunity_name: 'Stark Upgrade, phase "2"',
          source: 'manual',
        },
        {
          email: 'ann@example.com',
          opportunity_id: ids.formula,
          opportunity_name: `'=HYPERLINK("https://x.test")`,
          source: 'manual',
        },
        {
          email: "'+plus@example.com",
          opportunity_id: ids.plain,
          opportunity_name: 'Stark Upgrade, phase "2"',
          source: 'manual',
        },
      ]),
    )
  })

  it('imports back as a dry run that finds every assignment already there', async () => {
    const exported = (await exportCsv()).body
    expect(await importCsv(exported)).toEqual({ dryRun: true, rows: 3, added: 0, unchanged: 3, errors: [] })
  })

  it('marks automatic assignments, which an import would make manual', async () => {
    await t.database.db
      .insertInto('crm_opportunity_members')
      .values({
        user_id: users.carl,
        opportunity_id: ids.automatic,
        is_manual: false,
        via_owner_rule: true,
        auto_added_at: new Date(),
      })
      .execute()
    const rows = parse<Record<string, string>>((await exportCsv()).body, { bom: true, columns: true })
    expect(rows).toContainEqual({
      email: 'carl@example.com',
      opportunity_id: ids.automatic,
      opportunity_name: 'Wayne Renewal',
      source: 'automatic',
    })
    expect(await importCsv((await exportCsv()).body)).toMatchObject({ rows: 4, added: 1, unchanged: 3 })
  })

  it('reads the assignments a page at a time, only as the rows are taken, each row once', async () => {
    const all: string[][] = []
    const statements = await t.queriesDuring(async () => {
      for await (const row of assignmentRows(t.deps.db, 1)) all.push(row)
    })
    // One statement per page (a row each) and the empty one that ends it.
    expect(statements).toEqual(Array(all.length + 1).fill('SelectQueryNode'))
    expect(all.length).toBe(4)
    expect(new Set(all.map((row) => `${row[0]} ${row[1]}`)).size).toBe(all.length)
    const firstOnly = await t.queriesDuring(async () => {
      for await (const row of assignmentRows(t.deps.db, 1)) if (row) break
    })
    expect(firstOnly).toHaveLength(1)
  })
})
