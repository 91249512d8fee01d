import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { planFields, toOpportunityRecord } from '../../providers/salesforce/opportunity-fields.js'
import { toOpportunityRow } from './opportunity-row.js'
import { upsertOpportunities } from './opportunity-upsert.repository.js'

const allVisible = new Set([
  'Id',
  'SystemModstamp',
  'IsDeleted',
  'Name',
  'AccountId',
  'Amount',
  'CloseDate',
  'StageName',
  'OwnerId',
  'IsClosed',
  'IsWon',
  'Region__c',
])
const plan = planFields(allVisible, ['Region__c', 'Gone__c'])

function record(id: string, modstamp: string, overrides: Record<string, unknown> = {}) {
  return {
    attributes: { type: 'Opportunity' },
    Id: id,
    SystemModstamp: modstamp,
    IsDeleted: false,
    Name: `Deal ${id.slice(-3)}`,
    AccountId: null,
    Account: null,
    Amount: 1250.5,
    CloseDate: '2026-12-31',
    StageName: 'Prospecting',
    OwnerId: '005000000000001AAA',
    Owner: { attributes: { type: 'User' }, Name: 'Olga Owner', Email: 'olga@example.com' },
    IsClosed: false,
    IsWon: false,
    Region__c: 'EMEA',
    ...overrides,
  }
}

describe('upserting a page of opportunities', () => {
  let database: TestDatabase
  let connectionId: string
  beforeAll(async () => {
    database = await createTestDatabase()
    const row = await database.db
      .insertInto('crm_connections')
      .values({
        provider: 'salesforce',
        auth_method: 'password',
        login_url: 'https://x.my.salesforce.com',
        consumer_key: 'k',
        encrypted_secrets: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    connectionId = row.id
  })
  afterAll(() => database.close())

  const rows = (records: Array<Record<string, unknown>>) =>
    records.map((r) => toOpportunityRow(toOpportunityRecord(r, plan), connectionId, new Date()))

  it('reports hidden and vanished fields instead of selecting them', () => {
    expect(plan.hidden).toContain('Probability')
    expect(plan.select).toContain('Owner.Email')
    expect(plan.hidden).toContain('Gone__c')
    expect(plan.select).toContain('Region__c')
    expect(plan.select).not.toContain('Gone__c')
  })

  it('inserts, then leaves a replayed page unchanged, then applies only newer versions', async () => {
    const page = rows([
      record('006000000000001AAA', '2026-11-01T10:00:00.000+0000'),
      record('006000000000002AAA', '2026-11-01T10:00:00.000+0000'),
    ])
    expect(await upsertOpportunities(database.db, page)).toMatchObject({
      inserted: 2,
      updated: 0,
      unchanged: 0,
    })
    expect(await upsertOpportunities(database.db, page)).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    })

    const newer = rows([
      record('006000000000001AAA', '2026-11-02T10:00:00.000+0000', {
        StageName: 'Closed Won',
        IsClosed: true,
        IsWon: true,
      }),
    ])
    const older = rows([record('006000000000002AAA', '2026-10-01T10:00:00.000+0000', { Name: 'Stale name' })])
    expect(await upsertOpportunities(database.db, [...newer, ...older])).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 1,
    })

    const stored = await database.db.selectFrom('crm_opportunities').selectAll().orderBy('id').execute()
    expect(stored.map((r) => [r.id, r.stage_name, r.name, r.amount, r.close_date, r.extra_fields])).toEqual([
      ['006000000000001AAA', 'Closed Won', 'Deal AAA', 1250.5, '2026-12-31', { Region__c: 'EMEA' }],
      ['006000000000002AAA', 'Prospecting', 'Deal AAA', 1250.5, '2026-12-31', { Region__c: 'EMEA' }],
    ])
  })

  it('takes a second change made within the same second (equal SystemModstamp, new content)', async () => {
    const same = '2026-11-02T10:00:00.000+0000'
    expect(
      await upsertOpportunities(
        database.db,
        rows([
          record('006000000000001AAA', same, {
            StageName: 'Closed Won',
            IsClosed: true,
            IsWon: true,
            Amount: 999,
          }),
        ]),
      ),
    ).toMatchObject({ updated: 1 })
    const row = await database.db
      .selectFrom('crm_opportunities')
      .select('amount')
      .where('id', '=', '006000000000001AAA')
      .executeTakeFirstOrThrow()
    expect(row.amount).toBe(999)
  })

  it('marks a deletion and restores an undelete', async () => {
    const deleted = rows([record('006000000000002AAA', '2026-11-03T10:00:00.000+0000', { IsDeleted: true })])
    expect((await upsertOpportunities(database.db, deleted)).deleted).toBe(1)
    const restored = rows([record('006000000000002AAA', '2026-11-04T10:00:00.000+0000')])
    await upsertOpportunities(database.db, restored)
    const row = await database.db
      .selectFrom('crm_opportunities')
      .select(['is_deleted', 'deleted_at'])
      .where('id', '=', '006000000000002AAA')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ is_deleted: false, deleted_at: null })
  })

  it('refuses a record it cannot trust', () => {
    expect(() => rows([record('not-an-id', '2026-11-01T10:00:00.000+0000')])).toThrow(/valid Id/)
    expect(() =>
      rows([record('006000000000003AAA', '2026-11-01T10:00:00.000+0000', { Amount: 'lots' })]),
    ).toThrow(/not a number/)
  })
})
