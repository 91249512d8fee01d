// The access matrix of the bell (/api/notifications*), the live event stream (/api/live) and the one-click
// unsubscribe (/api/mail/unsubscribe): anonymous, member A, member B, admin. Every signed-in user has a bell
// of their own, so the status is the same for A, B and the admin; what differs is whose rows a request reads or
// changes, which the cases check as well. Unsubscribe needs no session (RFC 8058: the mail client posts
// without cookies): the sealed token decides, for whoever sends it, and a bad token is 404 for everyone.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { openSse, type SseStream } from '../../testing/sse-client.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { UNSUBSCRIBE_PATH, unsubscribeUrl } from '../mail/unsubscribe.js'

type Who = 'anonymous' | 'memberA' | 'memberB' | 'admin'
type Expected = Record<Who, number>
const everyone: Who[] = ['anonymous', 'memberA', 'memberB', 'admin']
const signedIn = (status: number): Expected => ({
  anonymous: 401,
  memberA: status,
  memberB: status,
  admin: status,
})

describe('notifications, live stream and unsubscribe access matrix', () => {
  let t: TestApp
  let base = ''
  let clients: Record<Who, Client>
  const ids = { a: '', b: '', userA: '', userB: '' }
  const streams: SseStream[] = []

  /** The admin posts on a deal: its members get a "new post" notification in the app. */
  const adminPosts = async (opportunityId: string, body: string): Promise<string> => {
    const response = await clients.admin.request({
      method: 'POST',
      url: `/api/crm/opportunities/${opportunityId}/feed`,
      payload: { body },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ post: { id: string } }>().post.id
  }
  const notificationsOf = async (userId: string) =>
    t.database.db
      .selectFrom('crm_notifications')
      .select(['id', 'opportunity_id', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute()
  /** A's newest notification, unread: the one the row-level cases act on. */
  const freshOfA = async (): Promise<string> => {
    await adminPosts(ids.a, 'For A')
    const rows = await notificationsOf(ids.userA)
    const last = rows.at(-1)
    expect(last?.read_at).toBeNull()
    return last?.id ?? ''
  }
  const preferenceOf = async (userId: string) =>
    t.database.db
      .selectFrom('crm_notification_preferences')
      .select(['kind', 'channel'])
      .where('user_id', '=', userId)
      .execute()

  beforeAll(async () => {
    t = await buildTestApp({ live: true })
    base = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const db = t.database.db
    const [a, b, admin] = [
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'admin' }),
    ]
    ids.userA = a.id
    ids.userB = b.id
    const connection = await makeConnection(db)
    ids.a = (await makeOpportunity(db, connection.id)).id
    ids.b = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, a.id, [ids.a])
    await assignManually(db, b.id, [ids.b])
    await setCrmModuleEnabled(db, true)
    clients = {
      anonymous: t.anonymous(),
      memberA: await t.signIn(a.email),
      memberB: await t.signIn(b.email),
      admin: await t.signIn(admin.email),
    }
  })
  afterAll(async () => {
    for (const stream of streams) stream.close()
    await t.close()
  })

  const cases: Array<{ name: string; request: () => Promise<InjectOptions>; expected: Expected }> = [
    {
      name: 'list my notifications',
      request: async () => ({ method: 'GET', url: '/api/notifications' }),
      expected: signedIn(200),
    },
    {
      name: 'my unread count',
      request: async () => ({ method: 'GET', url: '/api/notifications/unread-count' }),
      expected: signedIn(200),
    },
    {
      name: 'mark all my notifications read',
      request: async () => ({ method: 'POST', url: '/api/notifications/read', payload: { all: true } }),
      expected: signedIn(200),
    },
    {
      name: "mark A's notification read by its id",
      request: async () => ({
        method: 'POST',
        url: '/api/notifications/read',
        payload: { ids: [await freshOfA()] },
      }),
      expected: signedIn(200),
    },
    {
      name: 'read my preferences',
      request: async () => ({ method: 'GET', url: '/api/notifications/preferences' }),
      expected: signedIn(200),
    },
    {
      name: 'change my preferences',
      request: async () => ({
        method: 'PUT',
        url: '/api/notifications/preferences',
        payload: { preferences: [{ kind: 'reply', channel: 'in_app', timing: 'immediate' }] },
      }),
      expected: signedIn(200),
    },
    {
      name: "open the unsubscribe page with A's link",
      request: async () => ({ method: 'GET', url: unsubscribeUrl(t.deps, ids.userA, 'reply') }),
      expected: { anonymous: 200, memberA: 200, memberB: 200, admin: 200 },
    },
    {
      name: "one-click unsubscribe with A's link",
      request: async () => ({
        method: 'POST',
        url: unsubscribeUrl(t.deps, ids.userA, 'reply'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      }),
      expected: { anonymous: 200, memberA: 200, memberB: 200, admin: 200 },
    },
    {
      name: 'unsubscribe with a forged token',
      request: async () => ({
        method: 'POST',
        url: `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(JSON.stringify({ u: ids.userA, k: 'reply' }))}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      }),
      expected: { anonymous: 404, memberA: 404, memberB: 404, admin: 404 },
    },
    {
      name: 'unsubscribe without a token',
      request: async () => ({ method: 'GET', url: UNSUBSCRIBE_PATH }),
      expected: { anonymous: 404, memberA: 404, memberB: 404, admin: 404 },
    },
  ]

  it('covers every notifications endpoint', async () => {
    const covered: string[] = []
    for (const c of cases) {
      const request = await c.request()
      covered.push(`${request.method} ${new URL(request.url as string, 'http://x').pathname}`)
    }
    const endpoints = t.endpoints.filter((e) => e.tag === 'notifications')
    expect(endpoints.length).toBeGreaterThan(0)
    for (const endpoint of endpoints) {
      expect({
        endpoint: endpoint.path,
        covered: covered.includes(`${endpoint.method} ${endpoint.path}`),
      }).toEqual({ endpoint: endpoint.path, covered: true })
    }
  })

  it.each(cases)('$name', async ({ request, expected }) => {
    const actual: Record<string, number> = {}
    for (const who of everyone) actual[who] = (await clients[who].request(await request())).statusCode
    expect(actual).toEqual(expected)
  })

  it("lists and counts only the caller's own notifications", async () => {
    await adminPosts(ids.a, 'Only for A')
    await adminPosts(ids.b, 'Only for B')
    for (const [who, userId, deal] of [
      ['memberA', ids.userA, ids.a],
      ['memberB', ids.userB, ids.b],
    ] as const) {
      const response = await clients[who].request({ method: 'GET', url: '/api/notifications' })
      const body = response.json<{
        unreadCount: number
        notifications: Array<{ opportunity: { id: string } }>
      }>()
      expect(body.notifications.length).toBeGreaterThan(0)
      expect(new Set(body.notifications.map((n) => n.opportunity.id))).toEqual(new Set([deal]))
      const unread = (await notificationsOf(userId)).filter((n) => n.read_at === null).length
      expect(body.unreadCount).toBe(unread)
    }
  })

  it("marks none of A's notifications read when B or the admin names them", async () => {
    const id = await freshOfA()
    for (const who of ['memberB', 'admin'] as const) {
      const response = await clients[who].request({
        method: 'POST',
        url: '/api/notifications/read',
        payload: { ids: [id] },
      })
      expect(response.statusCode).toBe(200)
    }
    expect((await notificationsOf(ids.userA)).find((n) => n.id === id)?.read_at).toBeNull()
    await clients.memberA.request({ method: 'POST', url: '/api/notifications/read', payload: { ids: [id] } })
    expect((await notificationsOf(ids.userA)).find((n) => n.id === id)?.read_at).not.toBeNull()
  })

  it("changes only the caller's own preferences", async () => {
    const response = await clients.memberB.request({
      method: 'PUT',
      url: '/api/notifications/preferences',
      payload: { preferences: [{ kind: 'mentioned', channel: 'off', timing: 'immediate' }] },
    })
    expect(response.statusCode).toBe(200)
    expect(await preferenceOf(ids.userB)).toContainEqual({ kind: 'mentioned', channel: 'off' })
    expect(await preferenceOf(ids.userA)).not.toContainEqual({ kind: 'mentioned', channel: 'off' })
  })

  it('turns off only the kind and person the unsubscribe token names, whoever sends it', async () => {
    const response = await clients.memberB.request({
      method: 'POST',
      url: unsubscribeUrl(t.deps, ids.userA, 'new_post'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(response.statusCode).toBe(200)
    expect(await preferenceOf(ids.userA)).toContainEqual({ kind: 'new_post', channel: 'off' })
    expect(await preferenceOf(ids.userB)).not.toContainEqual({ kind: 'new_post', channel: 'off' })
  })

  it('opens the live stream for signed-in users only, each hearing only their own deals', async () => {
    const open = async (who: Who) => {
      const stream = await openSse(`${base}/api/live`, { cookie: clients[who].cookie ?? '' })
      streams.push(stream)
      return stream
    }
    const opened = Object.fromEntries(await Promise.all(everyone.map(async (who) => [who, await open(who)])))
    const status = Object.fromEntries(everyone.map((who) => [who, (opened[who] as SseStream).status]))
    expect(status).toEqual(signedIn(200))
    const [a, b, admin] = [opened['memberA'], opened['memberB'], opened['admin']] as SseStream[]
    for (const stream of [a, b, admin])
      await waitFor(() => expect(stream?.events[0]?.event.type).toBe('ready'))

    const onA = await adminPosts(ids.a, 'Live on A')
    const onB = await adminPosts(ids.b, 'Live on B')
    // Markers posted after both: a stream that has its marker would have had the other member's post by then.
    const markerA = await adminPosts(ids.a, 'Marker on A')
    const markerB = await adminPosts(ids.b, 'Marker on B')
    const feedPosts = (stream: SseStream | undefined) =>
      (stream?.events ?? []).flatMap(({ event }) => (event.type === 'feed' ? [event.postId] : []))
    await waitFor(() => expect(feedPosts(a)).toEqual(expect.arrayContaining([onA, markerA])))
    await waitFor(() => expect(feedPosts(b)).toEqual(expect.arrayContaining([onB, markerB])))
    await waitFor(() =>
      expect(feedPosts(admin)).toEqual(expect.arrayContaining([onA, onB, markerA, markerB])),
    )
    expect(feedPosts(a)).not.toContain(onB)
    expect(feedPosts(b)).not.toContain(onA)
  })
})
