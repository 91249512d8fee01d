// Keyset pagination, filters and sorts of the admin and member lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
  type OpportunityOverrides,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

interface Item {
  id: string
  name: string
  closeDate: string | null
  amount: number | null
}

async function fetchAllPages(
  client: Client,
  path: string,
  query: string,
  between?: (page: number) => Promise<void>,
) {
  const seen: Item[] = []
  let cursor: string | null = null
  for (let page = 0; page < 100; page += 1) {
    const separator = query ? '&' : ''
    const url = `${path}?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`
    const response = await client.request({ method: 'GET', url })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<{ items: Item[]; nextCursor: string | null }>()
    seen.push(...body.items)
    cursor = body.nextCursor
    if (!cursor) return seen
    await between?.(page)
  }
  throw new Error('pagination did not end')
}

describe('opportunity lists', () => {
  let t: TestApp
  let admin: Client
  let member: Client
  let memberId: string
  let connectionId: string
  const all: Array<{ id: string }> = []
  const seed = async (overrides: OpportunityOverrides = {}) => {
    const row = await makeOpportunity(t.database.db, connectionId, overrides)
    all.push(row)
    return row
  }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    const adminRow = await t.createUser({ role: 'admin' })
    const memberRow = await t.createUser({ role: 'member' })
    memberId = memberRow.id
    connectionId = (await makeConnection(db)).id
    const stages = ['Prospecting', 'Qualification', 'Negotiation', 'Closed Won', 'Closed Lost']
    for (let i = 0; i < 47; i += 1) {
      const stage = stages[i % 5]!
      await seed({
        name: `deal${String(i).padStart(3, '0')}${i % 2 ? 'x' : 'y'}`,
        account_name: i % 3 === 0 ? 'Globex Holdings' : 'Initech 100%',
        // Shared dates, shared amounts and NULLs, so ties are broken by id and NULLs have a place.
        close_date: i % 7 === 0 ? null : `2026-${String((i % 4) + 9).padStart(2, '0')}-15`,
        amount: i % 6 === 0 ? null : (i % 5) * 1000,
        stage_name: stage,
        is_closed: stage.startsWith('Closed'),
        is_won: stage === 'Closed Won',
        owner_id: i % 2 ? '005TEST0000000000A' : '005TEST0000000000B',
        last_modified_date: i % 9 === 0 ? null : new Date(Date.UTC(2026, 10, 1 + (i % 10))).toISOString(),
      })
    }
    await assignManually(
      db,
      memberId,
      all.filter((_, index) => index % 2 === 0).map((row) => row.id),
    )
    await setCrmModuleEnabled(db, true)
    admin = await t.signIn(adminRow.email)
    member = await t.signIn(memberRow.email)
  })
  afterAll(() => t.close())

  it.each([
    ['closeDate', 'asc'],
    ['closeDate', 'desc'],
    ['amount', 'asc'],
    ['amount', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
    ['lastModified', 'asc'],
    ['lastModified', 'desc'],
  ])('pages through every row exactly once sorted by %s %s', async (sort, direction) => {
    const query = `sort=${sort}&direction=${direction}`
    const paged = await fetchAllPages(admin, '/api/admin/crm/opportunities', `${query}&limit=7`)
    const whole = await fetchAllPages(
      admin,
      '/api/admin/crm/opportunities',
      query ? `${query}&limit=200` : 'limit=200',
    )
    expect(paged.map((item) => item.id)).toEqual(whole.map((item) => item.id))
    expect(new Set(paged.map((item) => item.id)).size).toBe(all.length)

    const mine = await fetchAllPages(member, '/api/crm/opportunities', `${query}&limit=5`)
    expect(mine.length).toBe(24)
    expect(new Set(mine.map((item) => item.id)).size).toBe(24)
  })

  it('orders by the sort key with NULL dates last ascending and NULL amounts last descending', async () => {
    const byDate = await fetchAllPages(admin, '/api/admin/crm/opportunities', 'sort=closeDate&limit=200')
    const dates = byDate.map((item) => item.closeDate ?? '9999')
    expect(dates).toEqual([...dates].sort())
    const byAmount = await fetchAllPages(
      admin,
      '/api/admin/crm/opportunities',
      'sort=amount&direction=desc&limit=200',
    )
    const amounts = byAmount.map((item) => item.amount ?? -1)
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a))
  })

  it('returns every row exactly once while rows are inserted, updated and deleted between pages', async () => {
    const db = t.database.db
    const before = await fetchAllPages(admin, '/api/admin/crm/opportunities', 'sort=closeDate&limit=200')
    const seenIds = new Set<string>()
    const deletedIds: string[] = []
    const insertedLate: string[] = []
    const paged = await fetchAllPages(
      admin,
      '/api/admin/crm/opportunities',
      'sort=closeDate&limit=6',
      async (page) => {
        if (page === 0) {
          // A row not reached yet is deleted; one already shown and one still ahead change amount only.
          const ahead = before.slice(20)
          deletedIds.push(ahead[0]!.id)
          await db
            .updateTable('crm_opportunities')
            .set({ is_deleted: true })
            .where('id', '=', ahead[0]!.id)
            .execute()
          await db
            .updateTable('crm_opportunities')
            .set({ amount: 77 })
            .where('id', 'in', [before[1]!.id, ahead[3]!.id])
            .execute()
          // One lands before the cursor (it cannot show: it would belong to a page already read), one after it.
          await seed({ close_date: '2000-01-01' })
          insertedLate.push((await seed({ close_date: '2030-01-01' })).id)
        }
      },
    )
    for (const item of paged) {
      expect(seenIds.has(item.id), `duplicate ${item.id}`).toBe(false)
      seenIds.add(item.id)
    }
    for (const row of before) {
      if (!deletedIds.includes(row.id)) expect(seenIds.has(row.id), `missing ${row.id}`).toBe(true)
    }
    expect(deletedIds.some((id) => seenIds.has(id))).toBe(false)
    expect(insertedLate.every((id) => seenIds.has(id))).toBe(true)
  })

  it('refuses a tampered cursor or one made for another sort', async () => {
    const first = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities?limit=2&sort=amount',
    })
    const cursor = first.json().nextCursor as string
    const otherSort = await admin.request({
      method: 'GET',
      url: `/api/admin/crm/opportunities?limit=2&cursor=${cursor}`,
    })
    expect(otherSort.statusCode).toBe(400)
    expect(otherSort.json().error.fields).toEqual({ cursor: 'it belongs to another sort order' })
    const forged = Buffer.from(
      JSON.stringify({ s: 'amount', d: 'asc', k: '1); drop table users; --', i: 'x' }),
    ).toString('base64url')
    for (const bad of [forged, 'not-a-cursor', 'e30']) {
      const response = await admin.request({
        method: 'GET',
        url: `/api/admin/crm/opportunities?sort=amount&cursor=${bad}`,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
  })

  it('filters by search, stage, status, owner, close dates and members, with matching totals', async () => {
    const ids = async (query: string) => {
      const items = await fetchAllPages(
        admin,
        '/api/admin/crm/opportunities',
        query ? `${query}&limit=200` : 'limit=200',
      )
      const totals = await admin.request({
        method: 'GET',
        url: `/api/admin/crm/opportunities/totals?${query}`,
      })
      expect(totals.json().count).toBe(items.length)
      return items
    }
    expect((await ids('search=GLOBEX')).length).toBeGreaterThan(10)
    expect((await ids('search=deal001x')).map((item) => item.name)).toEqual(['deal001x'])
    // LIKE wildcards in the search are literal: "100%" matches the account, "%" alone only literal percents.
    expect((await ids('search=0%25')).length).toBe((await ids('search=Initech')).length)
    expect((await ids('search=_')).length).toBe(0)
    const wonOrLost = await ids('stage=Closed%20Won&stage=Closed%20Lost')
    expect((await ids('status=closed')).length).toBe(wonOrLost.length)
    expect((await ids('status=won')).length + (await ids('status=lost')).length).toBe(wonOrLost.length)
    const open = await ids('status=open')
    expect(open.length + wonOrLost.length).toBe((await ids('')).length)
    const inOctober = await ids('closeDateFrom=2026-10-01&closeDateTo=2026-10-31')
    expect(inOctober.every((item) => item.closeDate === '2026-10-15')).toBe(true)
    expect(inOctober.length).toBeGreaterThan(0)
    const ownerA = await ids('owner=005TEST0000000000A')
    const ownerB = await ids('owner=005TEST0000000000B')
    expect(ownerA.length + ownerB.length).toBe(
      (await ids('owner=005TEST0000000000A&owner=005TEST0000000000B')).length,
    )
    expect(ownerA.length * ownerB.length).toBeGreaterThan(0)
    const withMembers = await ids('members=with')
    const withoutMembers = await ids('members=without')
    expect(withMembers.length).toBe(24)
    expect(withMembers.length + withoutMembers.length).toBe((await ids('')).length)
  })

  it('applies the same filters to the member list, with a matching total', async () => {
    const response = await member.request({
      method: 'GET',
      url: '/api/crm/opportunities?status=open&limit=3',
    })
    const body = response.json()
    const open = await fetchAllPages(member, '/api/crm/opportunities', 'status=open')
    expect(body.totalCount).toBe(open.length)
    expect(body.assignedCount).toBeGreaterThan(body.totalCount)
    expect(open.every((item) => all.some((row) => row.id === item.id))).toBe(true)
  })

  it('names each bad filter', async () => {
    const response = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities?sort=size&closeDateFrom=tomorrow&limit=1000&colour=red',
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().error.fields).sort()).toEqual([
      'closeDateFrom',
      'colour',
      'limit',
      'sort',
    ])
  })
})
