// Feed pages and bells are scoped answers of the read cache (response-store.ts): a post flushes the feed of
// its deal and the bells it touched, nothing else, and every change that does touch an answer (a post, an
// edit, a deletion, the feed settings, an unassignment) shows on the next read once its notification is in.
// t.changesDelivered() waits until every earlier notification has reached the cache (PostgreSQL delivers in
// commit order); t.queriesDuring() shows a read served from memory as one that sends no statement at all.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { FeedPost } from '../../contracts/api/feed.api.js'
import type { Notification } from '../../contracts/api/notifications.api.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../testing/crm-factories.js'
import { buildTestApp, manualClock, type Client, type TestApp } from '../testing/test-app.js'
import { waitFor } from '../testing/timing.js'

describe('feed pages and bells from memory, flushed by scope', () => {
  const clock = manualClock(new Date('2026-12-03T09:00:00Z'))
  let t: TestApp
  let ann: Client
  let bob: Client
  let cat: Client
  const deals = { x: '', y: '' }
  const ids = { bob: '' }

  const feed = async (client: Client, deal: string) => {
    const response = await client.request({ method: 'GET', url: `/api/crm/opportunities/${deal}/feed` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ posts: FeedPost[]; canPost: boolean }>()
  }
  const bodies = async (client: Client, deal: string) => (await feed(client, deal)).posts.map((p) => p.body)
  const bell = async (client: Client) => {
    const response = await client.request({ method: 'GET', url: '/api/notifications' })
    expect(response.statusCode).toBe(200)
    return response.json<{ unreadCount: number; notifications: Notification[] }>()
  }
  const post = async (client: Client, deal: string, body: string) => {
    clock.advance(1000)
    const response = await client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${deal}/feed`,
      payload: { body },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ post: { id: string } }>().post.id
  }
  /** What a read sends to the database: nothing when it was served from memory. */
  const statementsOf = (read: () => Promise<unknown>) => t.queriesDuring(read)

  beforeAll(async () => {
    t = await buildTestApp({ readCache: true, clock })
    await waitFor(() => expect(t.deps.readCache.isActive()).toBe(true))
    const db = t.database.db
    const [a, b, c] = [
      await t.createUser({ name: 'Ann' }),
      await t.createUser({ name: 'Bob' }),
      await t.createUser({ name: 'Cat' }),
    ]
    ids.bob = b.id
    const connection = await makeConnection(db)
    deals.x = (await makeOpportunity(db, connection.id, { name: 'Deal X' })).id
    deals.y = (await makeOpportunity(db, connection.id, { name: 'Deal Y' })).id
    await assignManually(db, a.id, [deals.x])
    await assignManually(db, b.id, [deals.x, deals.y])
    await assignManually(db, c.id, [deals.y])
    await setCrmModuleEnabled(db, true)
    ann = await t.signIn(a.email)
    bob = await t.signIn(b.email)
    cat = await t.signIn(c.email)
    await t.changesDelivered()
  })
  afterAll(() => t.close())

  it("keeps the other deals' feeds and the other users' bells in memory when someone posts", async () => {
    await post(cat, deals.y, 'Hello Y')
    await t.changesDelivered()
    expect(await bodies(bob, deals.y)).toEqual(['Hello Y'])
    expect(await bodies(bob, deals.x)).toEqual([])
    await bell(cat)
    expect(await statementsOf(() => bodies(bob, deals.y))).toEqual([])

    await post(ann, deals.x, 'Quote sent on X')
    await t.changesDelivered()
    // Deal Y's feed and Cat's bell did not change: still from memory, not one statement.
    expect(await statementsOf(() => bodies(bob, deals.y))).toEqual([])
    expect(await statementsOf(() => bell(cat))).toEqual([])
    // Deal X's feed and Bob's bell did: read again, with the post.
    expect(await bodies(bob, deals.x)).toEqual(['Quote sent on X'])
    const bobs = await bell(bob)
    expect(bobs.notifications[0]).toMatchObject({ kind: 'new_post', opportunity: { id: deals.x } })
    expect(bobs.notifications[0]?.post?.excerpt).toBe('Quote sent on X')
  })

  it("shows another user's post, edit and deletion on the next read, in the feed and the bell", async () => {
    const id = await post(ann, deals.x, 'First draft')
    await t.changesDelivered()
    expect((await bodies(bob, deals.x))[0]).toBe('First draft')
    expect((await bell(bob)).notifications[0]?.post?.excerpt).toBe('First draft')
    expect(await statementsOf(() => bell(bob))).toEqual([])

    const edited = await ann.request({
      method: 'PATCH',
      url: `/api/crm/feed/posts/${id}`,
      payload: { body: 'Final text' },
    })
    expect(edited.statusCode).toBe(200)
    await t.changesDelivered()
    expect((await bodies(bob, deals.x))[0]).toBe('Final text')
    // The bell shows the post's excerpt: its deal's scope flushed it although no notification changed.
    expect((await bell(bob)).notifications[0]?.post?.excerpt).toBe('Final text')

    const deleted = await ann.request({ method: 'DELETE', url: `/api/crm/feed/posts/${id}` })
    expect(deleted.statusCode).toBe(204)
    await t.changesDelivered()
    expect(await bodies(bob, deals.x)).not.toContain('Final text')
    expect((await bell(bob)).notifications[0]?.post?.excerpt).toBe('')
  })

  it("shows the writer's own post at once, before any notification, and keeps the writer's bell", async () => {
    await bodies(ann, deals.x)
    await bell(ann)
    const id = await post(ann, deals.x, 'Mine, now')
    const page = await feed(ann, deals.x)
    expect(page.posts[0]).toMatchObject({ id, body: 'Mine, now' })
    await t.changesDelivered()
    expect(await statementsOf(() => bell(ann))).toEqual([])
  })

  it('keeps the bell in memory while the mail sender updates its notifications, not once one is read', async () => {
    await post(ann, deals.x, 'For the mail sender')
    await t.changesDelivered()
    const before = await bell(bob)
    expect(before.unreadCount).toBeGreaterThan(0)
    // What a sender in another process writes as it claims and sends the email: nothing the bell shows.
    await sql`update crm_notifications set email_claimed_at = now(), emailed_at = now()
      where user_id = ${ids.bob}`.execute(t.database.db)
    await t.changesDelivered()
    expect(await statementsOf(() => bell(bob))).toEqual([])
    await sql`update crm_notifications set read_at = now() where user_id = ${ids.bob}`.execute(t.database.db)
    await t.changesDelivered()
    expect((await bell(bob)).unreadCount).toBe(0)
  })

  it('counts answers from memory and from the database on /metrics', async () => {
    const counts = async () => {
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' })
      expect(metrics.statusCode).toBe(200)
      const count = (result: string) =>
        Number(new RegExp(`crm_read_cache_answers\\{result="${result}"\\} (\\d+)`).exec(metrics.body)?.[1])
      return { hit: count('hit'), miss: count('miss') }
    }
    await post(cat, deals.y, 'Counted')
    await t.changesDelivered()
    const before = await counts()
    await bodies(cat, deals.y)
    await bodies(cat, deals.y)
    const after = await counts()
    expect(after).toEqual({ hit: before.hit + 1, miss: before.miss + 1 })
  })

  it('takes feed settings and an unassignment written by another process', async () => {
    expect((await feed(bob, deals.y)).canPost).toBe(true)
    expect(await statementsOf(() => feed(bob, deals.y))).toEqual([])
    // Written past this process's HTTP layer, as another server process would.
    await sql`update crm_feed_settings set who_may_post = 'admins'`.execute(t.database.db)
    await t.changesDelivered()
    expect((await feed(bob, deals.y)).canPost).toBe(false)
    await sql`update crm_feed_settings set who_may_post = 'members'`.execute(t.database.db)
    await t.changesDelivered()
    expect((await feed(bob, deals.y)).canPost).toBe(true)
    await sql`insert into crm_feed_opportunity_settings (opportunity_id, who_may_post, updated_at)
      values (${deals.y}, 'admins', now())`.execute(t.database.db)
    await t.changesDelivered()
    expect((await feed(bob, deals.y)).canPost).toBe(false)

    await t.database.db
      .deleteFrom('crm_opportunity_members')
      .where('user_id', '=', ids.bob)
      .where('opportunity_id', '=', deals.y)
      .execute()
    await t.changesDelivered()
    const response = await bob.request({ method: 'GET', url: `/api/crm/opportunities/${deals.y}/feed` })
    expect(response.statusCode).toBe(404)
  })
})
