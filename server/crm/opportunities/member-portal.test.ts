// What a member sees: empty states, the detail widget, the summary math, deleted records and the module
// switch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
  setStageOrder,
} from '../../testing/crm-factories.js'
import { buildTestApp, manualClock, type Client, type TestApp } from '../../testing/test-app.js'

describe('member portal', () => {
  let t: TestApp
  let member: Client
  let memberId: string
  let admin: Client
  const clock = manualClock(new Date('2026-11-15T12:00:00Z'))

  beforeAll(async () => {
    t = await buildTestApp({ clock, crmModule: true })
    ;({ id: memberId, client: member } = await t.signInNew({ role: 'member' }))
    admin = (await t.signInNew({ role: 'admin' })).client
  })
  afterAll(() => t.close())

  const list = () => member.request({ method: 'GET', url: '/api/crm/opportunities' })

  it('tells apart not configured, not synced, no assignments and ready', async () => {
    expect((await list()).json()).toMatchObject({ status: 'not_configured', items: [], assignedCount: 0 })
    const connection = await makeConnection(t.database.db)
    expect((await list()).json().status).toBe('not_synced')
    const opportunity = await makeOpportunity(t.database.db, connection.id)
    expect((await list()).json().status).toBe('no_assignments')
    await assignManually(t.database.db, memberId, [opportunity.id])
    expect((await list()).json()).toMatchObject({ status: 'ready', assignedCount: 1, totalCount: 1 })
    const summary = await member.request({ method: 'GET', url: '/api/crm/opportunities/summary' })
    expect(summary.json()).toMatchObject({ status: 'ready', assignedCount: 1 })
  })

  it('shows the widget fields and a Lightning link on the detail', async () => {
    const db = t.database.db
    const connection = await db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    const opportunity = await makeOpportunity(db, connection.id, {
      name: 'Acme renewal',
      amount: 125_000.5,
      currency_iso_code: 'EUR',
      stage_name: 'Negotiation/Review',
      probability: 80,
      close_date: '2026-12-20',
      next_step: 'Send the contract',
      description: 'Three-year renewal',
      extra_fields: JSON.stringify({ Region__c: 'EMEA' }),
      synced_at: '2026-11-15T11:59:00Z',
    })
    await assignManually(db, memberId, [opportunity.id])
    const response = await member.request({ method: 'GET', url: `/api/crm/opportunities/${opportunity.id}` })
    expect(response.statusCode).toBe(200)
    expect(response.json().opportunity).toMatchObject({
      id: opportunity.id,
      name: 'Acme renewal',
      amount: 125_000.5,
      currencyIsoCode: 'EUR',
      stageName: 'Negotiation/Review',
      probability: 80,
      closeDate: '2026-12-20',
      accountName: 'Acme Corporation',
      ownerName: 'Sam Seller',
      type: 'New Business',
      nextStep: 'Send the contract',
      forecastCategoryName: 'Pipeline',
      description: 'Three-year renewal',
      lastSyncedAt: '2026-11-15T11:59:00.000Z',
      extraFields: { Region__c: 'EMEA' },
      salesforceUrl: `https://acme.lightning.force.com/lightning/r/Opportunity/${opportunity.id}/view`,
    })
  })

  it('sums the pipeline per currency: open, weighted, won this quarter and per stage', async () => {
    const db = t.database.db
    await db.deleteFrom('crm_opportunity_members').execute()
    const connection = await db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    const make = (values: Parameters<typeof makeOpportunity>[2]) => makeOpportunity(db, connection.id, values)
    const rows = [
      await make({ amount: 10_000, probability: 10, stage_name: 'Prospecting' }),
      await make({ amount: 20_000, probability: 50, stage_name: 'Proposal' }),
      await make({ amount: 5_000, probability: 50, stage_name: 'Proposal', currency_iso_code: 'EUR' }),
      await make({ amount: null, probability: 50, stage_name: 'Proposal' }),
      await make({ ...closed(true), amount: 7_000, close_date: '2026-11-03' }),
      await make({ ...closed(true), amount: 9_000, close_date: '2026-09-30' }),
      await make({ ...closed(false), amount: 3_000, close_date: '2026-11-04' }),
      await make({ amount: 99_999, is_deleted: true }),
    ]
    await assignManually(
      db,
      memberId,
      rows.map((row) => row.id),
    )
    await make({ amount: 1_000_000 })
    await setStageOrder(db, connection.id, ['Prospecting', 'Proposal', 'Closed Won', 'Closed Lost'])

    const summary = (await member.request({ method: 'GET', url: '/api/crm/opportunities/summary' })).json()
    expect(summary).toMatchObject({
      assignedCount: 7,
      openCount: 4,
      openPipeline: [
        { currencyIsoCode: 'EUR', amount: 5_000 },
        { currencyIsoCode: 'USD', amount: 30_000 },
      ],
      weightedPipeline: [
        { currencyIsoCode: 'EUR', amount: 2_500 },
        { currencyIsoCode: 'USD', amount: 11_000 },
      ],
      wonThisQuarter: {
        count: 1,
        amounts: [{ currencyIsoCode: 'USD', amount: 7_000 }],
        quarterStart: '2026-10-01',
        quarterEnd: '2026-12-31',
      },
    })
    // In the org's stage order (crm_opportunity_stages, filled below as a sync would): Closed Won before Closed Lost.
    expect(summary.stages).toEqual([
      {
        stageName: 'Prospecting',
        sortOrder: 1,
        isClosed: false,
        forecastCategoryName: 'Pipeline', // the factory's default
        count: 1,
        amounts: [{ currencyIsoCode: 'USD', amount: 10_000 }],
      },
      {
        stageName: 'Proposal',
        sortOrder: 2,
        isClosed: false,
        forecastCategoryName: 'Pipeline', // the factory's default
        count: 3,
        amounts: [
          { currencyIsoCode: 'EUR', amount: 5_000 },
          { currencyIsoCode: 'USD', amount: 20_000 },
        ],
      },
      {
        stageName: 'Closed Won',
        sortOrder: 3,
        isClosed: true,
        forecastCategoryName: 'Pipeline', // the factory's default
        count: 2,
        amounts: [{ currencyIsoCode: 'USD', amount: 16_000 }],
      },
      {
        stageName: 'Closed Lost',
        sortOrder: 4,
        isClosed: true,
        forecastCategoryName: 'Pipeline', // the factory's default
        count: 1,
        amounts: [{ currencyIsoCode: 'USD', amount: 3_000 }],
      },
    ])
    const filtered = await member.request({ method: 'GET', url: '/api/crm/opportunities/summary?status=won' })
    expect(filtered.json().stages.map((stage: { stageName: string }) => stage.stageName)).toEqual([
      'Closed Won',
    ])
  })

  it('drops a record deleted in Salesforce from the lists and says so on its detail', async () => {
    const db = t.database.db
    const connection = await db.selectFrom('crm_connections').select('id').executeTakeFirstOrThrow()
    const gone = await makeOpportunity(db, connection.id, { name: 'Gone deal' })
    await assignManually(db, memberId, [gone.id])
    expect((await list()).json().items.map((item: { id: string }) => item.id)).toContain(gone.id)
    await db
      .updateTable('crm_opportunities')
      .set({ is_deleted: true, deleted_at: new Date() })
      .where('id', '=', gone.id)
      .execute()

    expect((await list()).json().items.map((item: { id: string }) => item.id)).not.toContain(gone.id)
    const adminList = await admin.request({ method: 'GET', url: '/api/admin/crm/opportunities?search=Gone' })
    expect(adminList.json().items).toEqual([])
    const detail = await member.request({ method: 'GET', url: `/api/crm/opportunities/${gone.id}` })
    expect(detail.statusCode).toBe(410)
    expect(detail.json().error).toEqual({
      code: 'OPPORTUNITY_DELETED',
      message: 'This opportunity was deleted in Salesforce',
    })
    const stranger = await t.signIn((await t.createUser()).email)
    const strangerDetail = await stranger.request({ method: 'GET', url: `/api/crm/opportunities/${gone.id}` })
    expect(strangerDetail.statusCode).toBe(404)
  })

  it('refuses members with MODULE_DISABLED while CRM is off, and keeps the admin pages open', async () => {
    const db = t.database.db
    const opportunity = await db.selectFrom('crm_opportunities').select('id').executeTakeFirstOrThrow()
    await setCrmModuleEnabled(db, false)
    try {
      for (const url of [
        '/api/crm/opportunities',
        '/api/crm/opportunities/summary',
        `/api/crm/opportunities/${opportunity.id}`,
      ]) {
        const response = await member.request({ method: 'GET', url })
        expect({ url, status: response.statusCode, code: response.json().error.code }).toEqual({
          url,
          status: 403,
          code: 'MODULE_DISABLED',
        })
      }
      expect((await admin.request({ method: 'GET', url: '/api/admin/crm/opportunities' })).statusCode).toBe(
        200,
      )
    } finally {
      await setCrmModuleEnabled(db, true)
    }
  })
})

function closed(isWon: boolean) {
  return {
    is_closed: true,
    is_won: isWon,
    stage_name: isWon ? 'Closed Won' : 'Closed Lost',
    probability: isWon ? 100 : 0,
  }
}
