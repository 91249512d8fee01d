// The bell: who is told about a post or reply (each once, by the strongest reason), preferences turning a
// kind off, leavers (deactivated) told nothing, notifications about a deal hidden once access ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Notification } from '../../../contracts/api/notifications.api.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

describe('notifications', () => {
  let t: TestApp
  let a: Client
  let b: Client
  let c: Client
  let dealId = ''
  const ids = { a: '', b: '', c: '', leaver: '' }

  const post = async (client: Client, payload: Record<string, unknown>) => {
    const response = await client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed`,
      payload,
    })
    expect(response.statusCode).toBe(201)
    return response.json<{ post: { id: string } }>().post
  }
  const bell = async (client: Client) =>
    (await client.request({ method: 'GET', url: '/api/notifications' })).json<{
      unreadCount: number
      notifications: Notification[]
    }>()
  const readAll = (client: Client) =>
    client.request({ method: 'POST', url: '/api/notifications/read', payload: { all: true } })

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    const users = {
      a: await t.createUser({ name: 'Ann' }),
      b: await t.createUser({ name: 'Bob' }),
      c: await t.createUser({ name: 'Cy' }),
      leaver: await t.createUser({ name: 'Lee' }),
    }
    for (const [key, user] of Object.entries(users)) ids[key as keyof typeof ids] = user.id
    dealId = (await makeOpportunity(db, (await makeConnection(db)).id, { name: 'Acme renewal' })).id
    await assignManually(db, ids.a, [dealId])
    await assignManually(db, ids.b, [dealId])
    await assignManually(db, ids.c, [dealId])
    await assignManually(db, ids.leaver, [dealId])
    await setCrmModuleEnabled(db, true)
    a = await t.signIn(users.a.email)
    b = await t.signIn(users.b.email)
    c = await t.signIn(users.c.email)
    await db.updateTable('users').set({ is_active: false }).where('id', '=', ids.leaver).execute()
  })
  afterAll(() => t.close())

  it('tells each person once, by the strongest reason, and never the author or a leaver', async () => {
    const created = await post(a, { body: `Can you check this, @{${ids.b}}?` })
    const ofB = await bell(b)
    expect(ofB.unreadCount).toBe(1)
    expect(ofB.notifications[0]).toMatchObject({
      kind: 'mentioned',
      opportunity: { id: dealId, name: 'Acme renewal' },
      post: { id: created.id, excerpt: `Can you check this, @{${ids.b}}?` },
      actor: { id: ids.a, name: 'Ann' },
      readAt: null,
    })
    expect((await bell(c)).notifications.map((n) => n.kind)).toEqual(['new_post'])
    expect((await bell(a)).unreadCount).toBe(0)
    const leaverRows = await t.database.db
      .selectFrom('crm_notifications')
      .select('id')
      .where('user_id', '=', ids.leaver)
      .execute()
    expect(leaverRows).toEqual([])

    await post(b, { body: 'Looks fine', parentId: created.id })
    expect((await bell(a)).notifications.map((n) => n.kind)).toEqual(['reply'])
    // A reply tells the post's author, not every member.
    expect((await bell(c)).unreadCount).toBe(1)
  })

  it('reads the bell, list and unread count, in one statement', async () => {
    await post(a, { body: 'For the bell' })
    let answer = { unreadCount: 0, notifications: [] as Notification[] }
    const statements = await t.queriesDuring(async () => {
      answer = await bell(b)
    })
    expect(answer.unreadCount).toBe(answer.notifications.filter((n) => n.readAt === null).length)
    expect(answer.notifications[0]?.post?.excerpt).toBe('For the bell')
    // The session and the bell.
    expect(statements).toHaveLength(2)
  })

  it('marks read, one by one or all', async () => {
    const before = await bell(c)
    const first = before.notifications[0]?.id ?? ''
    const marked = await c.request({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { ids: [first] },
    })
    expect(marked.json()).toEqual({ unreadCount: before.unreadCount - 1 })
    await readAll(b)
    expect((await b.request({ method: 'GET', url: '/api/notifications/unread-count' })).json()).toEqual({
      unreadCount: 0,
    })
  })

  it('follows preferences: a kind turned off is not written', async () => {
    const saved = await c.request({
      method: 'PUT',
      url: '/api/notifications/preferences',
      payload: { preferences: [{ kind: 'new_post', channel: 'off', timing: 'immediate' }] },
    })
    expect(saved.json().emailAvailable).toBe(false)
    expect(saved.json().preferences).toContainEqual({ kind: 'new_post', channel: 'off', timing: 'immediate' })
    expect(saved.json().preferences).toContainEqual({
      kind: 'mentioned',
      channel: 'in_app',
      timing: 'immediate',
    })
    await readAll(c)
    await post(a, { body: 'Another thread' })
    expect((await bell(c)).unreadCount).toBe(0)
    await post(a, { body: `But you, @{${ids.c}}` })
    expect((await bell(c)).notifications[0]?.kind).toBe('mentioned')
  })

  it('hides notifications about a deal once access to it ends', async () => {
    await post(a, { body: `One more for @{${ids.b}}` })
    expect((await bell(b)).unreadCount).toBeGreaterThan(0)
    await t.database.db
      .deleteFrom('crm_opportunity_members')
      .where('user_id', '=', ids.b)
      .where('opportunity_id', '=', dealId)
      .execute()
    expect(await bell(b)).toEqual({ unreadCount: 0, notifications: [] })
  })

  it('counts unread up to 100: the bell shows 99+ for someone who never reads', async () => {
    await readAll(c)
    const at = new Date()
    await t.database.db
      .insertInto('crm_notifications')
      .values(
        Array.from({ length: 130 }, (_, i) => ({
          user_id: ids.c,
          kind: 'added' as const,
          opportunity_id: dealId,
          actor_id: ids.a,
          created_at: new Date(at.getTime() - i * 1000),
        })),
      )
      .execute()
    expect((await bell(c)).unreadCount).toBe(100)
    const count = await c.request({ method: 'GET', url: '/api/notifications/unread-count' })
    expect(count.json()).toEqual({ unreadCount: 100 })
    await readAll(c)
    expect((await bell(c)).unreadCount).toBe(0)
  })

  it('is for signed-in users only', async () => {
    for (const url of [
      '/api/notifications',
      '/api/notifications/unread-count',
      '/api/notifications/preferences',
    ]) {
      expect((await t.anonymous().request({ method: 'GET', url })).statusCode).toBe(401)
    }
    const anonymousRead = await t.anonymous().request({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { all: true },
    })
    expect(anonymousRead.statusCode).toBe(401)
  })
})
