// The live event stream: what a member receives (posts on their deals, their bell), what they never
// receive (another member's deal, a deal they were removed from), heartbeats, the session check, and
// Last-Event-ID replay (live-two-process.test.ts: across server processes on PostgreSQL).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { openSse, type SseStream } from '../../testing/sse-client.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { deliveries } from './live.repository.js'

describe('live event stream', () => {
  let t: TestApp
  let base = ''
  const ids = { a: '', b: '', shared: '' }
  const who: Record<'a' | 'b' | 'c' | 'admin', Client> = {} as never
  const userIds = { a: '', b: '', c: '', admin: '' }
  const streams: SseStream[] = []

  const open = async (client: Client, headers: Record<string, string> = {}, at = base) => {
    const stream = await openSse(`${at}/api/live`, { cookie: client.cookie ?? '', ...headers })
    streams.push(stream)
    if (stream.status === 200) await waitFor(() => expect(stream.events.length).toBeGreaterThan(0))
    return stream
  }
  const post = async (client: Client, opportunityId: string, body: string) => {
    const response = await client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${opportunityId}/feed`,
      payload: { body },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ post: { id: string } }>().post.id
  }
  const feedPosts = (stream: SseStream) =>
    stream.events.flatMap(({ event }) => (event.type === 'feed' ? [event] : []))

  beforeAll(async () => {
    t = await buildTestApp({ live: true, config: testConfig({ LIVE_HEARTBEAT_SECONDS: '1' }) })
    base = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const db = t.database.db
    const [a, b, c, admin] = [
      await t.createUser(),
      await t.createUser(),
      await t.createUser(),
      await t.createUser({ role: 'admin' }),
    ]
    userIds.a = a.id
    userIds.b = b.id
    userIds.c = c.id
    userIds.admin = admin.id
    const connection = await makeConnection(db)
    ids.a = (await makeOpportunity(db, connection.id)).id
    ids.b = (await makeOpportunity(db, connection.id)).id
    ids.shared = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, a.id, [ids.a, ids.shared])
    await assignManually(db, b.id, [ids.b, ids.shared])
    await assignManually(db, c.id, [ids.a, ids.b, ids.shared])
    await setCrmModuleEnabled(db, true)
    who.a = await t.signIn(a.email)
    who.b = await t.signIn(b.email)
    who.c = await t.signIn(c.email)
    who.admin = await t.signIn(admin.email)
  })
  afterAll(async () => {
    for (const stream of streams) stream.close()
    await t.close()
  })

  it('refuses a stream to anyone not signed in', async () => {
    expect((await open(t.anonymous())).status).toBe(401)
  })

  it("delivers a post on a member's deal and their bell, and nothing about another member's deal", async () => {
    const streamA = await open(who.a)
    const streamB = await open(who.b)
    expect(streamA.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(streamA.headers.get('cache-control')).toBe('no-store')
    const postId = await post(who.c, ids.a, `For A @{${userIds.a}}`)
    await waitFor(() =>
      expect(feedPosts(streamA)).toContainEqual({ type: 'feed', opportunityId: ids.a, postId }),
    )
    await waitFor(() =>
      expect(streamA.events.map((e) => e.event)).toContainEqual({ type: 'notifications', unreadCount: 1 }),
    )
    // A later event B may see: anything about A's deal would have reached B's stream before it.
    const marker = await post(who.c, ids.b, 'For B')
    await waitFor(() => expect(feedPosts(streamB).map((e) => e.postId)).toContain(marker))
    expect(JSON.stringify(streamB.events)).not.toContain(ids.a)
    // B's bell moved once: for the post on B's own deal.
    const bells = streamB.events.flatMap(({ event }) => (event.type === 'notifications' ? [event] : []))
    expect(bells).toEqual([{ type: 'notifications', unreadCount: 1 }])
    // Event ids are numbers that only grow, for Last-Event-ID.
    const sent = streamA.events.map((e) => Number(e.id))
    expect(sent).toEqual([...sent].sort((x, y) => x - y))
  })

  it('sends nothing more about a deal once the member is removed from it', async () => {
    const streamA = await open(who.a)
    await post(who.c, ids.shared, 'before')
    await waitFor(() => expect(feedPosts(streamA).some((e) => e.opportunityId === ids.shared)).toBe(true))
    const removed = await who.admin.request({
      method: 'DELETE',
      url: `/api/admin/crm/opportunities/${ids.shared}/members/${userIds.a}`,
    })
    expect(removed.statusCode, removed.body).toBeLessThan(300)
    await waitFor(() => expect(streamA.events.some((e) => e.event.type === 'membership')).toBe(true))
    const before = feedPosts(streamA).length
    const after = await post(who.c, ids.shared, 'after A left')
    const marker = await post(who.c, ids.a, 'marker for A')
    await waitFor(() => expect(feedPosts(streamA).map((e) => e.postId)).toContain(marker))
    expect(feedPosts(streamA).map((e) => e.postId)).not.toContain(after)
    expect(feedPosts(streamA).length).toBe(before + 1)
    await assignManually(t.database.db, userIds.a, [ids.shared])
  })

  it('gives an admin every deal once, a member their deals, an inactive user nothing', async () => {
    const db = t.database.db
    const adminStream = await open(who.admin)
    // The admin is also a member of A's deal: still one delivery per event.
    await assignManually(db, userIds.admin, [ids.a])
    const onA = await post(who.c, ids.a, 'On A')
    const onB = await post(who.c, ids.b, 'On B')
    await waitFor(() => expect(feedPosts(adminStream).map((e) => e.postId)).toEqual([onA, onB]))
    const { rows: events } = await sql<{ id: number; post_id: string }>`
      select id, post_id from crm_live_events
      where kind = 'feed' and post_id in (${onA}, ${onB})`.execute(db)
    const leaver = await t.createUser()
    await assignManually(db, leaver.id, [ids.a, ids.b])
    await db.updateTable('users').set({ is_active: false }).where('id', '=', leaver.id).execute()
    const found = await deliveries(
      db,
      events.map((e) => e.id),
      [userIds.admin, userIds.a, userIds.b, leaver.id],
    )
    const postOf = new Map(events.map((e) => [e.id, e.post_id]))
    const pairs = found.map((row) => `${postOf.get(row.id)} ${row.user_id}`).sort()
    expect(pairs).toEqual(
      [
        `${onA} ${userIds.admin}`,
        `${onA} ${userIds.a}`,
        `${onB} ${userIds.admin}`,
        `${onB} ${userIds.b}`,
      ].sort(),
    )
  })

  it('replays what was missed after Last-Event-ID, and only what the user may see', async () => {
    const first = await open(who.a)
    const lastId = first.lastEventId() ?? ''
    first.close()
    const missed = await post(who.c, ids.a, 'while A was away')
    const hidden = await post(who.c, ids.b, 'not for A')
    const again = await open(who.a, { 'last-event-id': lastId })
    await waitFor(() => expect(feedPosts(again).map((e) => e.postId)).toContain(missed))
    expect(feedPosts(again).map((e) => e.postId)).not.toContain(hidden)
  })

  it('sends heartbeats, and ends the stream when the session ends', async () => {
    const session = await t.signIn((await t.createUser()).email)
    const stream = await open(session)
    await waitFor(() => expect(stream.comments).toContain('heartbeat'))
    await session.request({ method: 'POST', url: '/api/auth/logout' })
    await waitFor(() => expect(stream.ended()).toBe(true))
  })
})
