// The feed's behaviour through its routes: threads ordered by activity, keyset pages, edits marked, soft
// deletes, the posting rule, read-only deleted deals, access ending at once on unassignment, and bad input
// (each refused with its own error and nothing written). XSS payloads come back inert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { FeedPost } from '../../../contracts/api/feed.api.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, manualClock, type Client, type TestApp } from '../../testing/test-app.js'

interface FeedPage {
  posts: FeedPost[]
  nextCursor: string | null
  canPost: boolean
  readOnly: boolean
}

describe('opportunity feed', () => {
  const clock = manualClock(new Date('2026-12-01T10:00:00Z'))
  let t: TestApp
  let a: Client
  let b: Client
  let admin: Client
  let dealId = ''
  const users = { a: '', b: '' }

  const post = (client: Client, body: Record<string, unknown>, deal = dealId) => {
    clock.advance(1000)
    return client.request({ method: 'POST', url: `/api/crm/opportunities/${deal}/feed`, payload: body })
  }
  const feed = async (client: Client, query = '', deal = dealId) => {
    const response = await client.request({
      method: 'GET',
      url: `/api/crm/opportunities/${deal}/feed${query}`,
    })
    expect(response.statusCode).toBe(200)
    return response.json<FeedPage>()
  }
  const countPosts = async () =>
    (
      await t.database.db
        .selectFrom('crm_feed_posts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n

  beforeAll(async () => {
    t = await buildTestApp({ clock })
    const db = t.database.db
    const [userA, userB, userAdmin] = [
      await t.createUser({ name: 'Ann' }),
      await t.createUser({ name: 'Bob' }),
      await t.createUser({ role: 'admin' }),
    ]
    Object.assign(users, { a: userA.id, b: userB.id })
    const connection = await makeConnection(db)
    dealId = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, userA.id, [dealId])
    await assignManually(db, userB.id, [dealId])
    await setCrmModuleEnabled(db, true)
    a = await t.signIn(userA.email)
    b = await t.signIn(userB.email)
    admin = await t.signIn(userAdmin.email)
  })
  afterAll(() => t.close())

  it('renders the safe Markdown subset and keeps threads ordered by their newest activity', async () => {
    const first = (await post(a, { body: '**Kick-off** with _Acme_: see `notes`\n\n- one\n- two' })).json()
    const second = (await post(b, { body: 'Second thread' })).json()
    expect(first.post.bodyHtml).toBe(
      '<p><strong>Kick-off</strong> with <em>Acme</em>: see <code>notes</code></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    )
    let page = await feed(a)
    expect(page.posts.map((p) => p.body)).toEqual(['Second thread', expect.stringContaining('Kick-off')])
    const reply = await post(b, { body: 'Replying to the kick-off', parentId: first.post.id })
    expect(reply.statusCode).toBe(201)
    page = await feed(a)
    expect(page.posts[0]?.id).toBe(first.post.id)
    expect(page.posts[0]?.replies.map((r) => r.body)).toEqual(['Replying to the kick-off'])
    expect(page.posts[0]?.replies[0]?.author?.name).toBe('Bob')
    expect(page.posts[1]?.id).toBe(second.post.id)
  })

  it('pages with a keyset cursor without gaps or repeats', async () => {
    const deal = (await makeOpportunity(t.database.db, (await makeConnection(t.database.db)).id)).id
    await assignManually(t.database.db, users.a, [deal])
    for (let i = 0; i < 7; i += 1) expect((await post(a, { body: `post ${i}` }, deal)).statusCode).toBe(201)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: FeedPage = await feed(a, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`, deal)
      seen.push(...page.posts.map((p) => p.body))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(['post 6', 'post 5', 'post 4', 'post 3', 'post 2', 'post 1', 'post 0'])
    const bad = await a.request({ method: 'GET', url: `/api/crm/opportunities/${deal}/feed?cursor=x` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.fields).toHaveProperty('cursor')
  })

  it('lets authors edit (marked edited) and delete their own posts, admins delete any', async () => {
    const created = (await post(a, { body: 'first version' })).json().post
    expect(created.canEdit).toBe(true)
    const byB = await b.request({
      method: 'PATCH',
      url: `/api/crm/feed/posts/${created.id}`,
      payload: { body: 'x' },
    })
    expect(byB.statusCode).toBe(403)
    const edited = await a.request({
      method: 'PATCH',
      url: `/api/crm/feed/posts/${created.id}`,
      payload: { body: 'second *version*' },
    })
    expect(edited.statusCode).toBe(200)
    expect(edited.json().post).toMatchObject({
      bodyHtml: '<p>second <em>version</em></p>',
      editedAt: expect.any(String),
    })
    expect((await b.request({ method: 'DELETE', url: `/api/crm/feed/posts/${created.id}` })).statusCode).toBe(
      403,
    )
    await post(b, { body: 'a reply that keeps the thread', parentId: created.id })
    expect(
      (await admin.request({ method: 'DELETE', url: `/api/crm/feed/posts/${created.id}` })).statusCode,
    ).toBe(204)
    const shown = (await feed(a)).posts.find((p) => p.id === created.id)
    // Deleted with a live reply: a placeholder without its text; its reply stays.
    expect(shown).toMatchObject({ body: '', bodyHtml: '', deletedAt: expect.any(String), canEdit: false })
    expect(shown?.replies).toHaveLength(1)
    const lonely = (await post(a, { body: 'no replies here' })).json().post
    expect((await a.request({ method: 'DELETE', url: `/api/crm/feed/posts/${lonely.id}` })).statusCode).toBe(
      204,
    )
    expect((await feed(a)).posts.some((p) => p.id === lonely.id)).toBe(false)
    const again = await a.request({ method: 'DELETE', url: `/api/crm/feed/posts/${lonely.id}` })
    expect(again.statusCode).toBe(404)
  })

  it('refuses bad input with a specific error and writes nothing', async () => {
    const parent = (await post(a, { body: 'to be deleted' })).json().post
    const child = (await post(b, { body: 'a reply', parentId: parent.id })).json().post
    await a.request({ method: 'DELETE', url: `/api/crm/feed/posts/${parent.id}` })
    const before = await countPosts()
    const empty = await post(a, { body: '   \n ' })
    expect([empty.statusCode, empty.json().error.fields]).toEqual([
      400,
      { body: 'Write something before posting.' },
    ])
    const long = await post(a, { body: 'x'.repeat(20_001) })
    expect([long.statusCode, long.json().error.fields.body]).toEqual([
      400,
      'A post can have at most 20,000 characters.',
    ])
    expect((await post(a, { body: 'x'.repeat(20_000) })).statusCode).toBe(201)
    const toDeleted = await post(a, { body: 'too late', parentId: parent.id })
    expect([toDeleted.statusCode, toDeleted.json().error.code]).toEqual([404, 'NOT_FOUND'])
    const toReply = await post(a, { body: 'nested', parentId: child.id })
    expect([toReply.statusCode, toReply.json().error.fields]).toEqual([
      400,
      { parentId: 'Reply to the post, not to a reply.' },
    ])
    const unknownParent = await post(a, { body: 'hm', parentId: '00000000-0000-4000-8000-000000000000' })
    expect(unknownParent.statusCode).toBe(404)
    expect(await countPosts()).toBe(Number(before) + 1)
  })

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    '`<b>code</b>` <style>body{}</style>',
  ])('keeps %s inert', async (payload) => {
    const html: string = (await post(a, { body: payload })).json().post.bodyHtml
    expect(html).not.toMatch(/<(script|img|svg|iframe|style)/i)
    // Every real tag is one of the allowed ones; anything else is escaped text (&lt;…), which a browser shows.
    for (const tag of html.match(/<[a-z]+[^>]*>/g) ?? []) {
      expect(tag).toMatch(
        /^<(p|br|em|strong|code|pre|ul|ol|li|blockquote|a href="(https?|mailto):[^"]*" rel="noopener noreferrer nofollow" target="_blank")\s*\/?>$/,
      )
    }
  })

  it('follows the posting rule: module default, then the opportunity', async () => {
    const setDefault = (whoMayPost: string) =>
      admin.request({ method: 'PUT', url: '/api/admin/crm/feed-settings', payload: { whoMayPost } })
    const setDeal = (whoMayPost: string | null) =>
      admin.request({
        method: 'PUT',
        url: `/api/admin/crm/opportunities/${dealId}/feed-settings`,
        payload: { whoMayPost },
      })
    expect((await setDefault('admins')).statusCode).toBe(200)
    expect((await feed(a)).canPost).toBe(false)
    expect((await post(a, { body: 'not allowed' })).statusCode).toBe(403)
    expect((await post(admin, { body: 'admins may' })).statusCode).toBe(201)
    expect((await setDeal('members')).json().rules.whoMayPost).toEqual({
      value: 'members',
      source: 'deal',
      moduleDefault: 'admins',
    })
    expect((await post(a, { body: 'this deal allows members' })).statusCode).toBe(201)
    expect((await setDeal(null)).json().rules.whoMayPost).toEqual({
      value: 'admins',
      source: 'module',
      moduleDefault: 'admins',
    })
    expect((await post(a, { body: 'back to the default' })).statusCode).toBe(403)
    await setDefault('members')
    expect((await post(a, { body: 'members again' })).statusCode).toBe(201)
  })

  it('keeps a deal deleted in Salesforce readable to its members, read-only', async () => {
    const db = t.database.db
    const deal = (await makeOpportunity(db, (await makeConnection(db)).id)).id
    await assignManually(db, users.a, [deal])
    const kept = (await post(a, { body: 'before the delete' }, deal)).json().post
    await db
      .updateTable('crm_opportunities')
      .set({ is_deleted: true, deleted_at: clock.now() })
      .where('id', '=', deal)
      .execute()
    const page = await feed(a, '', deal)
    expect(page).toMatchObject({ readOnly: true, canPost: false })
    expect(page.posts.map((p) => [p.body, p.canEdit, p.canDelete])).toEqual([
      ['before the delete', false, false],
    ])
    const refused = await post(a, { body: 'after' }, deal)
    expect([refused.statusCode, refused.json().error.code]).toEqual([410, 'OPPORTUNITY_DELETED'])
    const edit = await a.request({
      method: 'PATCH',
      url: `/api/crm/feed/posts/${kept.id}`,
      payload: { body: 'x' },
    })
    expect(edit.statusCode).toBe(410)
    expect(await feed(b, '', deal).catch(() => 'refused')).toBe('refused')
  })

  it('ends access at once when a member is unassigned', async () => {
    const db = t.database.db
    const created = (await post(b, { body: 'B was here' })).json().post
    await db
      .deleteFrom('crm_opportunity_members')
      .where('user_id', '=', users.b)
      .where('opportunity_id', '=', dealId)
      .execute()
    const read = await b.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })
    expect(read.statusCode).toBe(404)
    expect((await post(b, { body: 'still here?' })).statusCode).toBe(404)
    const edit = await b.request({
      method: 'PATCH',
      url: `/api/crm/feed/posts/${created.id}`,
      payload: { body: 'x' },
    })
    expect(edit.statusCode).toBe(404)
    await assignManually(db, users.b, [dealId])
  })

  it('is off for everyone while the CRM module is off', async () => {
    await setCrmModuleEnabled(t.database.db, false)
    const read = await a.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })
    expect([read.statusCode, read.json().error.code]).toEqual([403, 'MODULE_DISABLED'])
    expect((await post(a, { body: 'hello' })).statusCode).toBe(403)
    await setCrmModuleEnabled(t.database.db, true)
  })
})
