// Every total the portal shows, in an org with EUR, USD and JPY deals (issue 14 item 6, issue 17 item 2), cached and
// live. Amounts in different currencies are never added as if they were one: the cache sums each currency from the
// records' own amounts; live admin totals come from Salesforce's SUM(Amount), which is in the corporate currency
// (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm)
// and is shown as one converted total. The emulator's rates: 1 USD = 0.92 EUR = 150 JPY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { passwordSettings } from '../../testing/emulator-fixture.js'
import { startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'

const DEALS = [
  { code: 'USD', amount: 1000, stage: 'Prospecting' },
  { code: 'EUR', amount: 920, stage: 'Prospecting' },
  { code: 'EUR', amount: 460.5, stage: 'Qualification' },
  { code: 'JPY', amount: 150000, stage: 'Qualification' },
] as const

// Each currency's own sum, largest code last, as the API sorts them.
const PER_CURRENCY = [
  { currencyIsoCode: 'EUR', amount: 1380.5 },
  { currencyIsoCode: 'JPY', amount: 150000 },
  { currencyIsoCode: 'USD', amount: 1000 },
]

describe('totals in a multi-currency org', () => {
  let setup: SyncSetup
  let member: Client

  const get = async (client: Client, url: string) => {
    const response = await client.request({ method: 'GET', url })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<Record<string, unknown>>()
  }

  const expectMemberSummary = async () => {
    const summary = await get(member, '/api/crm/opportunities/summary')
    expect(summary).toMatchObject({
      openCount: 4,
      openPipeline: PER_CURRENCY,
      weightedPipeline: [
        // Probability 10 % (Prospecting, Qualification): EUR 92 + 46.05.
        { currencyIsoCode: 'EUR', amount: 138.05 },
        { currencyIsoCode: 'JPY', amount: 15000 },
        { currencyIsoCode: 'USD', amount: 100 },
      ],
    })
    const stages = summary['stages'] as Array<{
      stageName: string
      forecastCategoryName: string
      count: number
      amounts: unknown[]
    }>
    // The forecast category most of a stage's deals have: Qualification's two are set to Best Case.
    expect(stages.map((stage) => [stage.stageName, stage.forecastCategoryName])).toEqual([
      ['Prospecting', 'Pipeline'],
      ['Qualification', 'Best Case'],
    ])
    expect(stages.map((stage) => [stage.stageName, stage.count, stage.amounts])).toEqual([
      [
        'Prospecting',
        2,
        [
          { currencyIsoCode: 'EUR', amount: 920 },
          { currencyIsoCode: 'USD', amount: 1000 },
        ],
      ],
      [
        'Qualification',
        2,
        [
          { currencyIsoCode: 'EUR', amount: 460.5 },
          { currencyIsoCode: 'JPY', amount: 150000 },
        ],
      ],
    ])
    // Every list row keeps its own currency.
    const list = await get(member, '/api/crm/opportunities?limit=50')
    const rows = (list['items'] as Array<{ amount: number; currencyIsoCode: string }>).map((item) => [
      item.currencyIsoCode,
      item.amount,
    ])
    expect(rows.sort()).toEqual(DEALS.map((deal) => [deal.code, deal.amount]).sort())
  }

  beforeAll(async () => {
    setup = await startSyncSetup({ opportunities: 0, multiCurrency: true })
    const org = setup.emulator.org
    const ids = DEALS.map(
      (deal, index) =>
        org.records.insert(
          'Opportunity',
          {
            Name: `Deal ${index} ${deal.code}`,
            StageName: deal.stage,
            Probability: 10,
            ...(deal.stage === 'Qualification' ? { ForecastCategoryName: 'Best Case' } : {}),
            CloseDate: '2099-06-30',
            Amount: deal.amount,
            CurrencyIsoCode: deal.code,
            OwnerId: org.integrationUserId,
          },
          org.integrationUserId,
        )['Id'] as string,
    )
    expect(await syncNow(setup.t, setup.connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    const db = setup.t.database.db
    const user = await setup.t.createUser()
    await assignManually(db, user.id, ids)
    await setCrmModuleEnabled(db, true)
    member = await setup.t.signIn(user.email)
  })
  afterAll(() => setup?.close())

  it('keeps each currency apart in the cache: admin totals, member summary, board columns, rows', async () => {
    expect(await get(setup.admin, '/api/admin/crm/opportunities/totals')).toEqual({
      count: 4,
      amounts: PER_CURRENCY,
    })
    await expectMemberSummary()
  })

  it('live, totals Salesforce adds up are one total in the corporate currency, marked converted', async () => {
    const response = await setup.admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(setup.emulator, { cacheLocally: false }),
    })
    expect(response.json<{ saved: boolean }>().saved, response.body).toBe(true)
    expect(await syncNow(setup.t, setup.connectionId, 'manual')).toMatchObject({ status: 'succeeded' })

    // 1,000 USD + 1,380.50 EUR (1,500.54 USD) + 150,000 JPY (1,000 USD), converted by Salesforce.
    expect(await get(setup.admin, '/api/admin/crm/opportunities/totals')).toEqual({
      count: 4,
      amounts: [{ currencyIsoCode: 'USD', amount: 3500.54, converted: true }],
    })
    // Only USD deals: already in the corporate currency, so not converted.
    const usd = await get(setup.admin, '/api/admin/crm/opportunities/totals?search=USD')
    expect(usd).toEqual({ count: 1, amounts: [{ currencyIsoCode: 'USD', amount: 1000 }] })
    // Only JPY deals: still the corporate currency, converted.
    const jpy = await get(setup.admin, '/api/admin/crm/opportunities/totals?search=JPY')
    expect(jpy).toEqual({ count: 1, amounts: [{ currencyIsoCode: 'USD', amount: 1000, converted: true }] })
    // The member's summary is built from the records' own amounts, live as cached.
    await expectMemberSummary()
  })
})
