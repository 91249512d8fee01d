// Lists know about activity (issue 15 item 6): last activity and the unread marker on My Opportunities and
// All Opportunities, the member's sort by last activity (keyset pages), the admin's "activity in the last N
// days" filter and its totals, and that a member learns nothing about activity on deals not assigned to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, manualClock, type Client, type TestApp } from '../../testing/test-app.js'

interface Item {
  id: string
  name: string
  lastActivityAt: string | null
  unread: boolean
}
interface ListBody {
  items: Item[]
  nextCursor: string | null
  totalCount?: number
}

const DAY = 86_400_000

describe('lists show activity', () => {
  const clock = manualClock(new Date('2026-11-01T09:00:00.000Z'))
  let t: TestApp
  let mia: Client
  let ada: Client
  let admin: Client
  let adminId: string
  // shared: Mia and Ada; quiet: Mia only, no feed; old: Mia only, activity long ago; secret: Ada only.
  const ids = { shared: '', quiet: '', old: '', secret: '' }

  const post = async (client: Client, id: string, body: string) => {
    const response = await client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${id}/feed`,
      payload: { body },
    })
    expect(response.statusCode, response.body).toBe(201)
    clock.advance(1000)
    return response.json<{ post: { id: string } }>().post.id
  }
  const list = async (client: Client, url: string): Promise<ListBody> => {
    const response = await client.request({ method: 'GET', url })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<ListBody>()
  }
  const byId = (body: ListBody) => new Map(body.items.map((item) => [item.id, item]))

  beforeAll(async () => {
    t = await buildTestApp({ clock })
    const db = t.database.db
    const [miaRow, adaRow, adminRow] = [
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'admin' }),
    ]
    adminId = adminRow.id
    const connection = await makeConnection(db)
    for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
      ids[key] = (await makeOpportunity(db, connection.id, { name: `Deal ${key}` })).id
    }
    await assignManually(db, miaRow.id, [ids.shared, ids.quiet, ids.old])
    await assignManually(db, adaRow.id, [ids.shared, ids.secret])
    await setCrmModuleEnabled(db, true)
    mia = await t.signIn(miaRow.email)
    ada = await t.signIn(adaRow.email)
    admin = await t.signIn(adminRow.email)

    // Written straight to the table: moving the clock a month would end the sessions.
    const longAgo = new Date(clock.now().getTime() - 30 * DAY)
    const author = miaRow.id
    await db
      .insertInto('crm_feed_posts')
      .values({
        opportunity_id: ids.old,
        author_id: author,
        body: 'Long ago',
        body_html: '<p>Long ago</p>',
        created_at: longAgo,
        activity_at: longAgo,
      })
      .execute()
    await post(ada, ids.secret, 'Only Ada sees this deal')
    await post(mia, ids.shared, 'Mia writes first')
  })
  afterAll(() => t.close())

  it("shows the newest entry's time, and unread only for what someone else wrote", async () => {
    const mine = byId(await list(mia, '/api/crm/opportunities'))
    expect(mine.get(ids.quiet)).toMatchObject({ lastActivityAt: null, unread: false })
    // Mia's own posts are not news to her.
    expect(mine.get(ids.shared)?.unread).toBe(false)
    expect(mine.get(ids.old)?.unread).toBe(false)
    expect(mine.get(ids.old)?.lastActivityAt).toBe('2026-10-02T09:00:00.000Z')

    const replyAt = clock.now().toISOString()
    const parentId = await firstPostOf(ids.shared)
    const reply = await ada.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.shared}/feed`,
      payload: { body: 'Ada replies', parentId },
    })
    expect(reply.statusCode, reply.body).toBe(201)
    clock.advance(1000)
    const afterReply = byId(await list(mia, '/api/crm/opportunities')).get(ids.shared)
    expect(afterReply).toMatchObject({ lastActivityAt: replyAt, unread: true })
    // Ada has never opened the feed, but everything in it since is her own or older than her reply: Mia's
    // first post is someone else's, so it is unread for her too.
    expect(byId(await list(ada, '/api/crm/opportunities')).get(ids.shared)?.unread).toBe(true)

    const read = await mia.request({ method: 'POST', url: `/api/crm/opportunities/${ids.shared}/feed/read` })
    expect(read.statusCode).toBe(204)
    expect(byId(await list(mia, '/api/crm/opportunities')).get(ids.shared)?.unread).toBe(false)
    // The admin's list carries the admin's own marker.
    expect(byId(await list(admin, '/api/admin/crm/opportunities')).get(ids.shared)?.unread).toBe(true)
  })

  it('counts a system entry as activity and a deleted post as none', async () => {
    clock.advance(1000)
    const systemAt = clock.now()
    await t.database.db
      .insertInto('crm_feed_posts')
      .values({
        opportunity_id: ids.quiet,
        kind: 'system',
        body: 'Stage: Prospecting → Proposal',
        body_html: '<p>Stage: Prospecting → Proposal</p>',
        created_at: systemAt,
        activity_at: systemAt,
      })
      .execute()
    expect(byId(await list(mia, '/api/crm/opportunities')).get(ids.quiet)).toMatchObject({
      lastActivityAt: systemAt.toISOString(),
      unread: true,
    })

    const before = byId(await list(mia, '/api/crm/opportunities')).get(ids.old)?.lastActivityAt
    const postId = await post(mia, ids.old, 'Soon gone')
    const deleted = await mia.request({ method: 'DELETE', url: `/api/crm/feed/posts/${postId}` })
    expect(deleted.statusCode).toBe(204)
    expect(byId(await list(mia, '/api/crm/opportunities')).get(ids.old)?.lastActivityAt).toBe(before)
  })

  it('sorts My Opportunities by last activity across keyset pages, deals without activity last', async () => {
    const pages: string[] = []
    let cursor: string | null = null
    do {
      const query = `sort=lastActivity&direction=desc&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const body = await list(mia, `/api/crm/opportunities?${query}`)
      pages.push(...body.items.map((item) => item.id))
      cursor = body.nextCursor
    } while (cursor && pages.length < 10)
    expect(pages).toEqual([ids.quiet, ids.shared, ids.old])

    const ascending = await list(mia, '/api/crm/opportunities?sort=lastActivity&direction=asc')
    expect(ascending.items.map((item) => item.id)).toEqual([ids.old, ids.shared, ids.quiet])
    // A cursor of another sort is refused, not misread.
    const first = await list(mia, '/api/crm/opportunities?sort=lastActivity&direction=desc&limit=1')
    const refused = await mia.request({
      method: 'GET',
      url: `/api/crm/opportunities?sort=closeDate&direction=desc&cursor=${first.nextCursor ?? ''}`,
    })
    expect(refused.statusCode).toBe(400)
  })

  it("filters All Opportunities to activity in the last N days, totals included, on the app's clock", async () => {
    const recent = await list(admin, '/api/admin/crm/opportunities?activityDays=7')
    expect(recent.items.map((item) => item.id).sort()).toEqual([ids.quiet, ids.secret, ids.shared].sort())
    const totals = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/totals?activityDays=7',
    })
    expect(totals.json<{ count: number }>().count).toBe(3)
    const wide = await list(admin, '/api/admin/crm/opportunities?activityDays=60')
    expect(wide.items).toHaveLength(4)
    const bad = await admin.request({ method: 'GET', url: '/api/admin/crm/opportunities?activityDays=0' })
    expect(bad.statusCode).toBe(400)
  })

  it('tells a member nothing about activity on deals not assigned to them', async () => {
    const mine = await list(mia, '/api/crm/opportunities?sort=lastActivity&direction=desc')
    expect(mine.items.map((item) => item.id)).not.toContain(ids.secret)
    // The admin filter is not a member's: asking for it is a 400, not a probe of the whole cache.
    const probe = await mia.request({ method: 'GET', url: '/api/crm/opportunities?activityDays=7' })
    expect(probe.statusCode).toBe(400)
    const markOther = await mia.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.secret}/feed/read`,
    })
    expect(markOther.statusCode).toBe(404)
    const reads = await t.database.db
      .selectFrom('crm_feed_reads')
      .select(['user_id', 'opportunity_id'])
      .execute()
    expect(reads.filter((row) => row.opportunity_id === ids.secret)).toEqual([])
    expect(reads.some((row) => row.user_id === adminId)).toBe(false)
  })

  async function firstPostOf(opportunityId: string): Promise<string> {
    const row = await t.database.db
      .selectFrom('crm_feed_posts')
      .select('id')
      .where('opportunity_id', '=', opportunityId)
      .where('parent_id', 'is', null)
      .orderBy('created_at')
      .executeTakeFirstOrThrow()
    return row.id
  }
})
