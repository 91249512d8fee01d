// The Members overview counts manual and automatic assignments, leaves deleted deals out, sums only open deals'
// amounts and never adds two currencies; it searches, sorts and pages on the server. A user's opportunities
// say how they got each one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  makeSalesforceUser,
  makeTeamMember,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { noSyncDispatcher, orgOpportunities, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

interface Row {
  user: { name: string }
  opportunityCount: number
  manualCount: number
  automaticCount: number
  openCount: number
  openPipeline: Array<{ currencyIsoCode: string; amount: number }>
}

describe('members overview', () => {
  let t: TestApp
  let admin: Client
  const ids = { ann: '', ben: '', usd: '', eur: '', owned: '', won: '', deleted: '' }

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    const db = t.database.db
    ;({ client: admin } = await t.signInNew({ role: 'admin', name: 'Root Admin' }))
    const ann = await t.createUser({ name: 'Ann Owner', email: 'ann@example.com' })
    const ben = await t.createUser({ name: 'ben Team', email: 'ben@example.com' })
    await t.createUser({ name: 'Cy Nobody', email: 'cy@example.com' })
    const gone = await t.createUser({ name: 'Dee Gone', email: 'dee@example.com', isActive: false })
    Object.assign(ids, { ann: ann.id, ben: ben.id })
    const connectionId = (await makeConnection(db)).id
    const deal = async (name: string, values: Parameters<typeof makeOpportunity>[2]) =>
      (await makeOpportunity(db, connectionId, { name, owner_email: 'someone@example.com', ...values })).id
    ids.usd = await deal('A dollar deal', { amount: 1000.25, currency_iso_code: 'USD' })
    ids.eur = await deal('B euro deal', { amount: 500, currency_iso_code: 'EUR' })
    // Ann owns this one in Salesforce and Ben is on its team: both get it automatically.
    ids.owned = await deal('C owned deal', {
      amount: 2000,
      currency_iso_code: 'USD',
      owner_email: 'ANN@example.com',
    })
    ids.won = await deal('D won deal', {
      amount: 9999,
      currency_iso_code: 'USD',
      stage_name: 'Closed Won',
      is_closed: true,
      is_won: true,
    })
    ids.deleted = await deal('E deleted deal', { amount: 7777, currency_iso_code: 'USD', is_deleted: true })
    const sfBen = await makeSalesforceUser(db, connectionId, { email: 'ben@example.com' })
    await makeTeamMember(db, connectionId, { opportunity_id: ids.owned, user_id: sfBen.id })
    await assignManually(db, ann.id, [ids.usd, ids.eur, ids.won, ids.deleted])
    await assignManually(db, ben.id, [ids.owned])
    await assignManually(db, gone.id, [ids.usd])
    const auto = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/assignment-settings',
      payload: { autoAssign: true },
    })
    expect(auto.json().applied).toEqual({ added: 2, removed: 0 })
  })
  afterAll(() => t.close())

  const overview = async (query: string) => {
    const response = await admin.request({ method: 'GET', url: `/api/admin/crm/member-overview?${query}` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ rows: Row[]; totalCount: number; currencies: string[] }>()
  }
  const names = (rows: Row[]) => rows.map((row) => row.user.name)

  it('counts manual, automatic, open and per-currency open pipeline of every active user', async () => {
    const answer = await overview('')
    expect(answer.totalCount).toBe(4)
    expect(answer.currencies).toEqual(['EUR', 'USD'])
    const byName = Object.fromEntries(answer.rows.map((row) => [row.user.name, row]))
    expect(byName['Ann Owner']).toMatchObject({
      opportunityCount: 4,
      manualCount: 3,
      automaticCount: 1,
      openCount: 3,
      openPipeline: [
        { currencyIsoCode: 'EUR', amount: 500 },
        { currencyIsoCode: 'USD', amount: 3000.25 },
      ],
    })
    // Manual and automatic on the same deal: one opportunity, counted in both.
    expect(byName['ben Team']).toMatchObject({
      opportunityCount: 1,
      manualCount: 1,
      automaticCount: 1,
      openCount: 1,
      openPipeline: [{ currencyIsoCode: 'USD', amount: 2000 }],
    })
    expect(byName['Cy Nobody']).toMatchObject({ opportunityCount: 0, manualCount: 0, openPipeline: [] })
    expect(names(answer.rows)).toEqual(['Ann Owner', 'ben Team', 'Cy Nobody', 'Root Admin'])
  })

  it('sorts by counts and by one currency of the pipeline, ties by name', async () => {
    expect(names((await overview('sort=manual&direction=desc')).rows)).toEqual([
      'Ann Owner',
      'ben Team',
      'Cy Nobody',
      'Root Admin',
    ])
    expect(names((await overview('sort=pipeline&currency=USD&direction=asc')).rows)).toEqual([
      'Cy Nobody',
      'Root Admin',
      'ben Team',
      'Ann Owner',
    ])
    expect(names((await overview('sort=pipeline&currency=EUR&direction=desc')).rows)).toEqual([
      'Ann Owner',
      'ben Team',
      'Cy Nobody',
      'Root Admin',
    ])
    const noCurrency = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/member-overview?sort=pipeline',
    })
    expect(noCurrency.statusCode).toBe(400)
    expect(noCurrency.json().error.fields).toMatchObject({ currency: expect.any(String) })
  })

  it('searches name and email and pages with the total', async () => {
    const found = await overview('search=BEN%40')
    expect([names(found.rows), found.totalCount, found.currencies]).toEqual([['ben Team'], 1, ['USD']])
    const second = await overview('pageSize=3&page=2')
    expect([names(second.rows), second.totalCount]).toEqual([['Root Admin'], 4])
    // A LIKE wildcard is a character like any other.
    expect((await overview('search=%25')).totalCount).toBe(0)
  })

  it("lists a user's opportunities with how they got each, without deleted ones", async () => {
    const response = await admin.request({
      method: 'GET',
      url: `/api/admin/crm/member-overview/${ids.ann}/opportunities?pageSize=3`,
    })
    expect(response.statusCode, response.body).toBe(200)
    const answer = response.json()
    expect(answer.totalCount).toBe(4)
    expect(answer.user).toMatchObject({ id: ids.ann, name: 'Ann Owner' })
    expect(
      answer.items.map((item: Record<string, unknown>) => [
        item['id'],
        item['isManual'],
        item['viaOwnerRule'],
      ]),
    ).toEqual([
      [ids.usd, true, false],
      [ids.eur, true, false],
      [ids.owned, false, true],
    ])
    const missing = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/member-overview/00000000-0000-4000-8000-000000000000/opportunities',
    })
    expect(missing.statusCode).toBe(404)
  })

  // Last: it turns the cache off and blanks the rows as the key index keeps them.
  it('with "Cache data locally" off gives the counts, no open figures, and says live', async () => {
    const db = t.database.db
    await db.updateTable('crm_connections').set({ cache_locally: false }).execute()
    await db
      .updateTable('crm_opportunities')
      .set({ name: null, amount: null, currency_iso_code: null, stage_name: null, is_closed: false })
      .execute()
    const answer = await admin.request({ method: 'GET', url: '/api/admin/crm/member-overview' })
    expect(answer.statusCode, answer.body).toBe(200)
    const body = answer.json<{ rows: Row[]; currencies: string[]; mode: string }>()
    expect([body.mode, body.currencies]).toEqual(['live', []])
    expect(body.rows.find((row) => row.user.name === 'Ann Owner')).toMatchObject({
      opportunityCount: 4,
      manualCount: 3,
      automaticCount: 1,
      openCount: null,
      openPipeline: null,
    })
    // Her list with the cache off reads Salesforce: see the emulator case below.
  })
})

// With the cache off a user's opportunities come from the key index (which, how, how many) and their content
// from Salesforce, read by the page's ids.
describe("a user's opportunities with the cache off (live from the emulator)", () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  let userId = ''
  let mine: string[] = []
  const orgRecord = (id: string) => orgOpportunities(emulator.org).find((o) => o.id === id)
  const listOf = async () => {
    const response = await admin.request({
      method: 'GET',
      url: `/api/admin/crm/member-overview/${userId}/opportunities?pageSize=4`,
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{
      mode: string
      totalCount: number
      liveError: string | null
      items: Array<Record<string, unknown> & { id: string }>
    }>()
  }

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 8, seed: 7 })
    t = await buildTestApp({
      syncDispatcher: noSyncDispatcher,
      clock: { now: () => new Date(emulator.org.now()) },
    })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    userId = (await t.createUser({ name: 'Live Lee' })).id
    await setCrmModuleEnabled(t.database.db, true)
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { cacheLocally: false }),
    })
    const connectionId = saved.json<{ connection: { id: string } }>().connection.id
    expect(await syncNow(t, connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    // The key index orders blank names by id: these four, sorted, are her two pages.
    mine = orgOpportunities(emulator.org)
      .filter((o) => !o.is_deleted)
      .map((o) => o.id)
      .slice(0, 4)
      .sort()
    await assignManually(t.database.db, userId, mine)
  })
  afterAll(async () => {
    await t?.close()
    await emulator?.close()
  })

  it('fills names, accounts, amounts and stages from Salesforce; an id it no longer returns stays, marked', async () => {
    const [renamed, deleted, ...others] = mine as [string, string, string, string]
    await emulator.control.updateRecord('Opportunity', renamed, {
      Name: 'Renamed live',
      StageName: 'Negotiation/Review',
    })
    await emulator.control.recordAction('Opportunity', deleted, 'delete')
    const answer = await listOf()
    expect([answer.mode, answer.totalCount, answer.liveError]).toEqual(['live', 4, null])
    const byId = new Map(answer.items.map((item) => [item.id, item]))
    expect([...byId.keys()].sort()).toEqual(mine)
    expect(byId.get(renamed)).toMatchObject({ name: 'Renamed live', stageName: 'Negotiation/Review' })
    expect(byId.get(deleted)).toMatchObject({ name: '', stageName: null, missingInSalesforce: true })
    for (const id of others) {
      const record = orgRecord(id)!
      expect(byId.get(id)).toMatchObject({
        name: record.name,
        accountName: record.account_name,
        amount: record.amount ?? null,
        stageName: record.stage_name,
        closeDate: record.close_date,
        isClosed: record.is_closed,
        isManual: true,
        missingInSalesforce: false,
      })
      // A single-currency org: the corporate currency, as the sync would store it.
      expect(byId.get(id)?.['currencyIsoCode']).toBe('USD')
    }
  })

  it('answers the ids and why when Salesforce cannot be read, not a 500', async () => {
    await emulator.control.addFault({ match: '/query', kind: 'unavailable' })
    try {
      const answer = await listOf()
      expect(answer).toMatchObject({ mode: 'live', totalCount: 4 })
      expect(answer.liveError).toMatch(/Salesforce could not answer/)
      const rows = answer.items.map((item) => [item.id, item['name'], item['missingInSalesforce']])
      expect(rows.sort()).toEqual(mine.map((id) => [id, '', false]))
    } finally {
      await emulator.control.clearFaults()
    }
  })
})
