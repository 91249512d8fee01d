// Mentions (type-ahead over the people who can see the deal; anyone else is a 400) and files (stored in the
// database, size limit from config, image previews, downloads as attachments with nosniff, 413 over limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { FeedPost } from '../../../contracts/api/feed.api.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'

// The smallest valid PNG (1x1, transparent), as in https://www.w3.org/TR/png/ chunk layout.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)

describe('feed mentions and files', () => {
  let t: TestApp
  let a: Client
  let b: Client
  let outsider: Client
  let dealId = ''
  const ids = { a: '', b: '', outsider: '', admin: '', inactive: '', xss: '' }

  const post = (client: Client, payload: Record<string, unknown>) =>
    client.request({ method: 'POST', url: `/api/crm/opportunities/${dealId}/feed`, payload })
  const upload = (client: Client, name: string, content: Buffer, type?: string) =>
    client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed/files?name=${encodeURIComponent(name)}${type ? `&type=${encodeURIComponent(type)}` : ''}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: content,
    })
  const count = async (table: 'crm_feed_posts' | 'crm_feed_files' | 'crm_feed_mentions') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ FEED_MAX_FILE_MB: '1' }) })
    const db = t.database.db
    const users = {
      a: await t.createUser({ name: 'Ann Archer' }),
      b: await t.createUser({ name: 'Bob Baker' }),
      outsider: await t.createUser({ name: 'Olga Outside' }),
      admin: await t.createUser({ name: 'Ada Admin', role: 'admin' }),
      inactive: await t.createUser({ name: 'Ian Inactive', isActive: false }),
      xss: await t.createUser({ name: '<img src=x onerror=alert(1)>' }),
    }
    for (const [key, user] of Object.entries(users)) ids[key as keyof typeof ids] = user.id
    const connection = await makeConnection(db)
    dealId = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, ids.a, [dealId])
    await assignManually(db, ids.b, [dealId])
    await assignManually(db, ids.inactive, [dealId])
    await assignManually(db, ids.xss, [dealId])
    await setCrmModuleEnabled(db, true)
    a = await t.signIn(users.a.email)
    b = await t.signIn(users.b.email)
    outsider = await t.signIn(users.outsider.email)
  })
  afterAll(() => t.close())

  it('offers the active people who can see the deal, and nobody else', async () => {
    const all = await a.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/mentionable` })
    expect(all.json().users.map((u: { name: string }) => u.name)).toEqual([
      '<img src=x onerror=alert(1)>',
      'Ada Admin',
      'Ann Archer',
      'Bob Baker',
    ])
    const search = await a.request({
      method: 'GET',
      url: `/api/crm/opportunities/${dealId}/mentionable?search=bak`,
    })
    expect(search.json().users.map((u: { id: string }) => u.id)).toEqual([ids.b])
    const refused = await outsider.request({
      method: 'GET',
      url: `/api/crm/opportunities/${dealId}/mentionable`,
    })
    expect(refused.statusCode).toBe(404)
  })

  it('renders a mention as the name and records it', async () => {
    const created = await post(a, { body: `Thoughts, @{${ids.b}}? cc @{${ids.admin}}` })
    expect(created.statusCode).toBe(201)
    expect(created.json().post.bodyHtml).toBe(
      `<p>Thoughts, <span class="mention" data-user-id="${ids.b}">@Bob Baker</span>? cc <span class="mention" data-user-id="${ids.admin}">@Ada Admin</span></p>`,
    )
    const mentions = await t.database.db
      .selectFrom('crm_feed_mentions')
      .select('user_id')
      .where('post_id', '=', created.json().post.id)
      .execute()
    expect(mentions.map((m) => m.user_id).sort()).toEqual([ids.b, ids.admin].sort())
  })

  it('keeps a name full of markup inert', async () => {
    const html: string = (await post(a, { body: `hi @{${ids.xss}}` })).json().post.bodyHtml
    expect(html).toBe(
      `<p>hi <span class="mention" data-user-id="${ids.xss}">@&lt;img src=x onerror=alert(1)&gt;</span></p>`,
    )
  })

  it.each([
    ['someone not on the deal', () => ids.outsider],
    ['a deactivated member', () => ids.inactive],
    ['an unknown id', () => '00000000-0000-4000-8000-000000000000'],
  ])('refuses a mention of %s and writes nothing', async (_name, id) => {
    const before = [await count('crm_feed_posts'), await count('crm_feed_mentions')]
    const refused = await post(a, { body: `hey @{${id()}}` })
    expect([refused.statusCode, refused.json().error.fields]).toEqual([
      400,
      { body: 'Mention only people who can see this opportunity.' },
    ])
    expect([await count('crm_feed_posts'), await count('crm_feed_mentions')]).toEqual(before)
  })

  it('shows the size limit from the config', async () => {
    const limits = await a.request({ method: 'GET', url: '/api/crm/feed/limits' })
    expect(limits.json()).toEqual({ maxFileBytes: 1024 * 1024, maxPostChars: 20_000 })
  })

  it('stores an image, previews it inline (sandboxed) and downloads it as an attachment', async () => {
    const uploaded = await upload(b, 'chart.png', PNG, 'image/png')
    expect(uploaded.statusCode).toBe(201)
    const file = uploaded.json().file
    expect(file).toMatchObject({
      name: 'chart.png',
      contentType: 'image/png',
      isImage: true,
      sizeBytes: PNG.length,
    })
    const reply = await post(b, { body: 'See the chart', fileIds: [file.id] })
    expect(reply.json().post.files.map((f: { id: string }) => f.id)).toEqual([file.id])
    const page = (await a.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })).json<{
      posts: FeedPost[]
    }>()
    expect(page.posts[0]?.files[0]).toEqual(file)

    const download = await a.request({ method: 'GET', url: file.downloadUrl })
    expect(download.statusCode).toBe(200)
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="chart.png"; filename*=UTF-8''chart.png`,
    )
    expect(download.headers['x-content-type-options']).toBe('nosniff')
    expect(download.rawPayload.equals(PNG)).toBe(true)
    const preview = await a.request({ method: 'GET', url: file.previewUrl })
    expect(preview.headers['content-type']).toBe('image/png')
    expect(preview.headers['content-disposition']).toMatch(/^inline;/)
    expect(preview.headers['content-security-policy']).toBe("default-src 'none'; sandbox")
    expect((await outsider.request({ method: 'GET', url: file.downloadUrl })).statusCode).toBe(404)
  })

  it("reads a page with its posts' and replies' files, in upload order, without a statement for the files", async () => {
    const first = (await upload(a, 'first.txt', Buffer.from('one'))).json().file
    const second = (await upload(a, 'second.txt', Buffer.from('two'))).json().file
    const posted = await post(a, { body: 'Two files', fileIds: [second.id, first.id] })
    expect(posted.statusCode).toBe(201)
    const postId = posted.json().post.id
    const third = (await upload(b, 'third.txt', Buffer.from('three'))).json().file
    const replied = await post(b, { body: 'And one more', parentId: postId, fileIds: [third.id] })
    expect(replied.json().post.files).toEqual([third])

    let page: FeedPost[] = []
    const statements = await t.queriesDuring(async () => {
      const response = await a.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })
      page = response.json<{ posts: FeedPost[] }>().posts
    })
    const thread = page.find((entry) => entry.id === postId)
    expect(thread?.files).toEqual([first, second])
    expect(thread?.replies.map((reply) => reply.files)).toEqual([[third]])
    // The session, and the page: its posts and their replies, each with its files.
    expect(statements).toHaveLength(2)
  })

  it('stores a post without files or mentions without deleting mentions or reading it back', async () => {
    let answer: {
      statusCode: number
      post: { body: string; author: { id: string } | null; files: unknown[] }
    } = {
      statusCode: 0,
      post: { body: '', author: null, files: [] },
    }
    const statements = await t.queriesDuring(async () => {
      const response = await post(a, { body: 'Plain words' })
      answer = { statusCode: response.statusCode, post: response.json().post }
    })
    expect(answer.statusCode).toBe(201)
    expect(answer.post).toMatchObject({ body: 'Plain words', author: { id: ids.a }, files: [] })
    // The session, the access check, the insert (returning the row and its author's name), the notifications.
    expect(statements).toEqual(['SelectQueryNode', 'RawNode', 'InsertQueryNode', 'RawNode'])
  })

  it('treats a file with a script name and an HTML or SVG body as an inert attachment', async () => {
    const name = '<script>alert(1)</script>".svg'
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    const file = (await upload(a, name, svg, 'image/svg+xml')).json().file
    // Path separators never reach a file name; the rest is kept as typed (it is shown as text).
    const stored = '<script>alert(1)<_script>".svg'
    expect(file).toMatchObject({ name: stored, isImage: false, previewUrl: null })
    const download = await a.request({ method: 'GET', url: file.downloadUrl })
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="<script>alert(1)<_script>_.svg"; filename*=UTF-8''${encodeURIComponent(stored)}`,
    )
    expect(download.headers['x-content-type-options']).toBe('nosniff')
    expect((await a.request({ method: 'GET', url: `${file.downloadUrl}/preview` })).statusCode).toBe(404)
  })

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const before = await count('crm_feed_files')
    const tooBig = await upload(a, 'big.bin', Buffer.alloc(1024 * 1024 + 1))
    expect([tooBig.statusCode, tooBig.json().error]).toEqual([
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: 'Files can be at most 1 MB.' },
    ])
    expect((await upload(a, 'exact.bin', Buffer.alloc(1024 * 1024, 1))).statusCode).toBe(201)
    expect(await count('crm_feed_files')).toBe(before + 1)
  })

  it("refuses uploads and attachments that are not the poster's to make", async () => {
    expect((await upload(outsider, 'x.txt', Buffer.from('x'))).statusCode).toBe(404)
    const bFile = (await upload(b, 'b.txt', Buffer.from('b'))).json().file
    const before = await count('crm_feed_posts')
    const stolen = await post(a, { body: 'taking B’s file', fileIds: [bFile.id] })
    expect(stolen.statusCode).toBe(404)
    expect(await count('crm_feed_posts')).toBe(before)
    const json = await a.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed/files?name=x.txt`,
      payload: { not: 'bytes' },
    })
    expect(json.statusCode).toBe(415)
  })
})
