// "Cache data locally" off: the sync keeps a key index only, and the portal's lists and details are read
// live from Salesforce (the emulator) behind the same API; turning the cache back on refills it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { OpportunitySort } from '../../../contracts/api/opportunities.api.js'
import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { lastRun, orgOpportunities, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

interface Item {
  id: string
  name: string
  amount: number | null
  accountName: string | null
  lastActivityAt?: string | null
  unread?: boolean
}
interface ListBody {
  status: string
  assignedCount: number
  totalCount: number
  items: Item[]
  nextCursor: string | null
}

describe('cache-off mode (live reads from Salesforce)', () => {
  let emulator: RunningEmulator
  let t: TestApp
  // The admin and three members: A and B have a few assignments, C more than one SOQL statement holds.
  let clients: Record<'admin' | 'a' | 'b' | 'c', Client>
  let connectionId: string
  const dispatched: string[] = []
  let idsA: string[] = []
  let idsB: string[] = []
  let idsC: string[] = []

  const save = async (cacheLocally: boolean) => {
    const response = await clients.admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { cacheLocally }),
    })
    const body = response.json<{ saved: boolean; connection: { id: string } }>()
    expect(body.saved).toBe(true)
    return body.connection.id
  }
  const list = async (client: Client, query = '') => {
    const response = await client.request({ method: 'GET', url: `/api/crm/opportunities${query}` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<ListBody>()
  }
  const allPages = async (client: Client, query: string, url = '/api/crm/opportunities') => {
    const seen: Item[] = []
    let cursor: string | null = null
    do {
      const page = `${url}?${query}${cursor ? `&cursor=${cursor}` : ''}`
      const response = await client.request({ method: 'GET', url: page })
      expect(response.statusCode, response.body).toBe(200)
      const body = response.json<ListBody>()
      seen.push(...body.items)
      cursor = body.nextCursor
    } while (cursor)
    return seen
  }
  const live = () => orgOpportunities(emulator.org).filter((o) => !o.is_deleted)
  const orgRecord = (id: string) => live().find((o) => o.id === id)

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 400, seed: 21 })
    t = await buildTestApp({
      syncDispatcher: {
        dispatch: async (_id, trigger) => void dispatched.push(trigger),
        stop: async () => undefined,
      },
      clock: { now: () => new Date(emulator.org.now()) },
    })
    const [a, b, c] = [await t.createUser(), await t.createUser(), await t.createUser()]
    clients = {
      admin: await t.signIn((await t.createUser({ role: 'admin' })).email),
      a: await t.signIn(a.email),
      b: await t.signIn(b.email),
      c: await t.signIn(c.email),
    }
    await setCrmModuleEnabled(t.database.db, true)
    connectionId = await save(false)
    expect(await syncNow(t, connectionId, 'initial')).toMatchObject({ status: 'succeeded' })

    const ids = live().map((o) => o.id)
    idsA = ids.slice(0, 12)
    idsB = ids.slice(12, 15)
    idsC = ids.slice(20, 340) // more than one SOQL statement holds (300 ids)
    await assignManually(t.database.db, a.id, idsA)
    await assignManually(t.database.db, b.id, idsB)
    await assignManually(t.database.db, c.id, idsC)
  })
  afterAll(async () => {
    await t?.close()
    await emulator?.close()
  })

  it('stores a key index only: no names, amounts, accounts or stages, but owners for assignment', async () => {
    const rows = await t.database.db.selectFrom('crm_opportunities').selectAll().execute()
    expect(rows.length).toBe(orgOpportunities(emulator.org).length)
    for (const row of rows) {
      expect(row).toMatchObject({
        name: null,
        amount: null,
        account_name: null,
        stage_name: null,
        close_date: null,
        description: null,
        last_modified_date: null,
        extra_fields: {},
      })
      expect(row.owner_id).toMatch(/^005/)
    }
  })

  it('shows a member exactly their assigned opportunities, read live; another member’s are 404', async () => {
    const body = await list(clients.a, '?limit=50')
    expect(body).toMatchObject({ status: 'ready', assignedCount: 12, totalCount: 12, nextCursor: null })
    expect(body.items.map((item) => item.id).sort()).toEqual([...idsA].sort())
    for (const item of body.items) expect(item.name).toBe(orgRecord(item.id)?.name)

    const forB = await list(clients.b)
    expect(forB.items.map((item) => item.id).sort()).toEqual([...idsB].sort())
    const other = await clients.a.request({ method: 'GET', url: `/api/crm/opportunities/${idsB[0]}` })
    expect(other.statusCode).toBe(404)
    const mine = await clients.a.request({ method: 'GET', url: `/api/crm/opportunities/${idsA[0]}` })
    expect(mine.statusCode).toBe(200)
    expect(mine.json().opportunity).toMatchObject({
      id: idsA[0],
      name: orgRecord(idsA[0]!)?.name,
      source: 'live',
      lastSyncedAt: null,
    })
  })

  it('shows a change made in Salesforce at once, without a sync', async () => {
    const id = idsA[1]!
    await emulator.control.updateRecord('Opportunity', id, { Name: 'Renamed in Salesforce', Amount: 4242 })
    const body = await list(clients.a, '?search=renamed')
    // A single-currency org's records carry no CurrencyIsoCode: the amount is in the corporate currency.
    expect(body.items).toMatchObject([
      { id, name: 'Renamed in Salesforce', amount: 4242, currencyIsoCode: 'USD' },
    ])
    expect(body.totalCount).toBe(1)
    const detail = await clients.a.request({ method: 'GET', url: `/api/crm/opportunities/${id}` })
    expect(detail.json().opportunity).toMatchObject({
      name: 'Renamed in Salesforce',
      amount: 4242,
      currencyIsoCode: 'USD',
    })
  })

  it('answers 410 for a record deleted in Salesforce and drops it from the list', async () => {
    const id = idsA[2]!
    await emulator.control.recordAction('Opportunity', id, 'delete')
    const detail = await clients.a.request({ method: 'GET', url: `/api/crm/opportunities/${id}` })
    expect(detail.statusCode).toBe(410)
    expect(detail.json().error.code).toBe('OPPORTUNITY_DELETED')
    const body = await list(clients.a, '?limit=50')
    expect(body.items.map((item) => item.id)).not.toContain(id)
    expect(body).toMatchObject({ totalCount: 11, assignedCount: 11 })
  })

  it('computes the summary live over the assigned records', async () => {
    const response = await clients.a.request({ method: 'GET', url: '/api/crm/opportunities/summary' })
    expect(response.statusCode).toBe(200)
    const mine = live().filter((o) => idsA.includes(o.id))
    const stageCount = response
      .json<{ stages: Array<{ count: number }> }>()
      .stages.reduce((total, stage) => total + stage.count, 0)
    expect(stageCount).toBe(mine.length)
    expect(response.json().openCount).toBe(mine.filter((o) => !o.is_closed).length)
  })

  it.each<[OpportunitySort, 'asc' | 'desc']>([
    ['closeDate', 'asc'],
    ['amount', 'desc'],
    ['amount', 'asc'],
    ['name', 'asc'],
    ['lastModified', 'desc'],
  ])('pages %s %s over 320 assigned ids (two statements) with every row exactly once', async (sort, dir) => {
    // Blank amounts sort below every value, as in the cache.
    for (const id of idsC.slice(0, 3))
      await emulator.control.updateRecord('Opportunity', id, { Amount: null })
    const items = await allPages(clients.c, `sort=${sort}&direction=${dir}&limit=70`)
    expect(items.length).toBe(idsC.length)
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(idsC))
    if (sort === 'amount') {
      const amounts = items.map((item) => item.amount ?? -Infinity)
      const sorted = [...amounts].sort((x, y) => (dir === 'asc' ? x - y : y - x))
      expect(amounts).toEqual(sorted)
    }
  })

  it.each(['asc', 'desc'])('pages across blank amounts (%s) with page ends on them', async (dir) => {
    // Three blank amounts in a row of small pages: some cursors carry a NULL key.
    for (const id of idsA.slice(3, 6))
      await emulator.control.updateRecord('Opportunity', id, { Amount: null })
    const items = await allPages(clients.a, `sort=amount&direction=${dir}&limit=2`)
    expect(items.map((item) => item.id).sort()).toEqual(idsA.filter((id) => id !== idsA[2]).sort())
    const amounts = items.map((item) => item.amount ?? -Infinity)
    expect(amounts).toEqual([...amounts].sort((x, y) => (dir === 'asc' ? x - y : y - x)))
  })

  it('lets the admin search the whole org live by name and by account, with totals from Salesforce', async () => {
    const target = live()[100]!
    const byName = await allPages(
      clients.admin,
      `search=${encodeURIComponent(target.name as string)}&limit=200`,
      '/api/admin/crm/opportunities',
    )
    expect(byName.map((item) => item.id)).toContain(target.id)
    const account = target.account_name as string
    const expected = live().filter(
      (o) =>
        (o.account_name as string | null)?.toLowerCase().includes(account.toLowerCase()) ||
        (o.name as string).toLowerCase().includes(account.toLowerCase()),
    )
    const search = `search=${encodeURIComponent(account)}`
    const byAccount = await allPages(clients.admin, `${search}&limit=200`, '/api/admin/crm/opportunities')
    expect(new Set(byAccount.map((item) => item.id))).toEqual(new Set(expected.map((o) => o.id)))
    expect(byAccount.every((item) => item.accountName !== null)).toBe(true)

    const totals = await clients.admin.request({
      method: 'GET',
      url: `/api/admin/crm/opportunities/totals?${search}`,
    })
    const sum = expected.reduce((total, o) => total + ((o.amount as number | null) ?? 0), 0)
    expect(totals.json()).toEqual({
      count: expected.length,
      // A single-currency org's total is in its corporate currency (Organization.DefaultCurrencyIsoCode).
      amounts: [{ currencyIsoCode: 'USD', amount: Math.round(sum * 100) / 100 }],
    })
  })

  it('keeps activity local with the cache off: columns and the admin filter work, the activity sort is refused', async () => {
    const posted = await clients.b.request({
      method: 'POST',
      url: `/api/crm/opportunities/${idsB[0]}/feed`,
      payload: { body: 'Read live, talked about locally' },
    })
    expect(posted.statusCode, posted.body).toBe(201)
    const forB = await list(clients.b, '?limit=50')
    expect(forB.items.find((item) => item.id === idsB[0])).toMatchObject({ unread: false })
    expect(forB.items.find((item) => item.id === idsB[0])?.lastActivityAt).not.toBeNull()

    const active = await allPages(clients.admin, 'activityDays=1&limit=200', '/api/admin/crm/opportunities')
    expect(active.map((item) => item.id)).toEqual([idsB[0]])
    expect(active[0]).toMatchObject({ unread: true })
    const totals = await clients.admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/totals?activityDays=1',
    })
    expect(totals.json<{ count: number }>().count).toBe(1)

    const sorted = await clients.b.request({ method: 'GET', url: '/api/crm/opportunities?sort=lastActivity' })
    expect(sorted.statusCode).toBe(400)
    expect(sorted.json<{ error: { message: string } }>().error.message).toMatch(/Cache data locally/)
  })

  it('fills the admin stage menu from Salesforce and the owner menu from the key index', async () => {
    const response = await clients.admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/filter-options',
    })
    const body = response.json<{ stages: Array<{ name: string; count: number }>; owners: unknown[] }>()
    const stages = new Map<string, number>()
    for (const o of live()) stages.set(o.stage_name as string, (stages.get(o.stage_name as string) ?? 0) + 1)
    expect(new Map(body.stages.map((stage) => [stage.name, stage.count]))).toEqual(stages)
    expect(body.owners.length).toBeGreaterThan(0)
  })

  it('turns Salesforce being down into CRM_UNAVAILABLE with a hint, not a 500', async () => {
    await emulator.control.addFault({ match: '/query', kind: 'unavailable' })
    try {
      const response = await clients.admin.request({ method: 'GET', url: '/api/admin/crm/opportunities' })
      expect(response.statusCode).toBe(503)
      const error = response.json<{ error: { code: string; message: string } }>().error
      expect(error.code).toBe('CRM_UNAVAILABLE')
      expect(error.message).toMatch(/Cache data locally/)
      expect(error.message).not.toMatch(/\bat .*\.ts:\d+/)
    } finally {
      await emulator.control.clearFaults()
    }
  })

  it("tells a member only that Salesforce cannot answer and that an admin can act; the admin sees Salesforce's cause", async () => {
    const errorOf = async (client: Client, url: string) => {
      const response = await client.request({ method: 'GET', url })
      expect(response.statusCode, response.body).toBe(503)
      return response.json<{ error: { code: string; message: string } }>().error
    }
    const expectNeutral = (error: { code: string; message: string }) => {
      expect(error.code).toBe('CRM_UNAVAILABLE')
      expect(error.message).toMatch(/tell an admin/)
      expect(error.message).not.toMatch(
        /ErrorId|UNKNOWN_EXCEPTION|unexpected error|http|127\.0\.0\.1|secret-reason/i,
      )
    }
    // A Salesforce 500 whose message carries its internal ErrorId.
    await emulator.control.addFault({ match: '/query', kind: 'server_error' })
    try {
      for (const url of [
        '/api/crm/opportunities',
        '/api/crm/opportunities/summary',
        `/api/crm/opportunities/${idsA[0]}`,
      ]) {
        expectNeutral(await errorOf(clients.a, url))
      }
      expect((await errorOf(clients.admin, '/api/admin/crm/opportunities')).message).toMatch(/ErrorId/)
    } finally {
      await emulator.control.clearFaults()
    }
    // A connection that needs attention: its reason (Salesforce's words, an internal URL) is for admins.
    const reason = `secret-reason: token endpoint ${emulator.url}/services/oauth2/token said no`
    await t.database.db
      .updateTable('crm_connections')
      .set({ status: 'needs_attention', status_reason: reason })
      .where('id', '=', connectionId)
      .execute()
    try {
      expectNeutral(await errorOf(clients.a, '/api/crm/opportunities'))
      expect((await errorOf(clients.admin, '/api/admin/crm/opportunities')).message).toContain(reason)
    } finally {
      await t.database.db
        .updateTable('crm_connections')
        .set({ status: 'healthy', status_reason: null })
        .where('id', '=', connectionId)
        .execute()
    }
  })

  it('refills the cache with a full sync when turned on, and blanks it at once when turned off', async () => {
    dispatched.length = 0
    await save(true)
    expect(dispatched).toEqual(['initial'])
    // Even a scheduled run is full while key-only rows remain, so unchanged records get their content back.
    expect(await syncNow(t, connectionId, 'scheduled')).toMatchObject({ status: 'succeeded' })
    expect((await lastRun(t)).records_fetched).toBe(orgOpportunities(emulator.org).length)
    const filled = await t.database.db
      .selectFrom('crm_opportunities')
      .select(['id', 'name'])
      .where('is_deleted', '=', false)
      .execute()
    expect(filled.every((row) => row.name === orgRecord(row.id)?.name)).toBe(true)
    const cached = await clients.a.request({ method: 'GET', url: `/api/crm/opportunities/${idsA[0]}` })
    expect(cached.json().opportunity).toMatchObject({ source: 'cache' })

    await save(false)
    const blank = await t.database.db
      .selectFrom('crm_opportunities')
      .select(['name', 'amount', 'stage_name', 'account_name'])
      .execute()
    expect(blank.every((row) => row.name === null && row.amount === null && row.account_name === null)).toBe(
      true,
    )
    expect((await list(clients.a, '?limit=50')).items).toHaveLength(11)
  })
})
