// The access matrix of every feed endpoint: anonymous, member A (on the deal), member B (not on it), admin.
// Someone else's feed is indistinguishable from a missing one (404); admin settings are admin-only.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

type Who = 'anonymous' | 'memberA' | 'memberB' | 'admin'
type Expected = Record<Who, number>

describe('feed access matrix', () => {
  let t: TestApp
  let clients: Record<Who, Client>
  const ids = { a: '', unassigned: '' }

  /** A fresh post by A on A's deal, so each caller acts on a post nobody has touched yet. */
  const postByA = async (): Promise<string> => {
    const response = await clients.memberA.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.a}/feed`,
      payload: { body: 'A post by A' },
    })
    expect(response.statusCode).toBe(201)
    return response.json<{ post: { id: string } }>().post.id
  }

  /** A posted image by A (GIF header bytes are enough to be recognised as one). */
  const fileByA = async (): Promise<{ downloadUrl: string }> => {
    const uploaded = await clients.memberA.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.a}/feed/files?name=a.gif`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('GIF89a'),
    })
    const { file } = uploaded.json<{ file: { id: string; downloadUrl: string } }>()
    await clients.memberA.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.a}/feed`,
      payload: { body: 'with a file', fileIds: [file.id] },
    })
    return file
  }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    const [a, b, admin] = [
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'admin' }),
    ]
    const connection = await makeConnection(db)
    ids.a = (await makeOpportunity(db, connection.id)).id
    ids.unassigned = (await makeOpportunity(db, connection.id)).id
    const onlyB = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, a.id, [ids.a])
    await assignManually(db, b.id, [onlyB])
    await setCrmModuleEnabled(db, true)
    clients = {
      anonymous: t.anonymous(),
      memberA: await t.signIn(a.email),
      memberB: await t.signIn(b.email),
      admin: await t.signIn(admin.email),
    }
  })
  afterAll(() => t.close())

  const adminOnly = (status = 200): Expected => ({
    anonymous: 401,
    memberA: 403,
    memberB: 403,
    admin: status,
  })

  const cases: Array<{ name: string; request: () => Promise<InjectOptions>; expected: Expected }> = [
    {
      name: "read A's feed",
      request: async () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.a}/feed` }),
      expected: { anonymous: 401, memberA: 200, memberB: 404, admin: 200 },
    },
    {
      name: 'read the feed of an unassigned deal',
      request: async () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.unassigned}/feed` }),
      expected: { anonymous: 401, memberA: 404, memberB: 404, admin: 200 },
    },
    {
      name: "post on A's feed",
      request: async () => ({
        method: 'POST',
        url: `/api/crm/opportunities/${ids.a}/feed`,
        payload: { body: 'hello' },
      }),
      expected: { anonymous: 401, memberA: 201, memberB: 404, admin: 201 },
    },
    {
      name: "reply to A's post",
      request: async () => ({
        method: 'POST',
        url: `/api/crm/opportunities/${ids.a}/feed`,
        payload: { body: 'a reply', parentId: await postByA() },
      }),
      expected: { anonymous: 401, memberA: 201, memberB: 404, admin: 201 },
    },
    {
      name: "edit A's post",
      request: async () => ({
        method: 'PATCH',
        url: `/api/crm/feed/posts/${await postByA()}`,
        payload: { body: 'changed' },
      }),
      // Admins delete any post but edit only their own.
      expected: { anonymous: 401, memberA: 200, memberB: 404, admin: 403 },
    },
    {
      name: "delete A's post",
      request: async () => ({ method: 'DELETE', url: `/api/crm/feed/posts/${await postByA()}` }),
      expected: { anonymous: 401, memberA: 204, memberB: 404, admin: 204 },
    },
    {
      name: "mark A's feed read",
      request: async () => ({ method: 'POST', url: `/api/crm/opportunities/${ids.a}/feed/read` }),
      expected: { anonymous: 401, memberA: 204, memberB: 404, admin: 204 },
    },
    {
      name: "people to mention on A's deal",
      request: async () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.a}/mentionable` }),
      expected: { anonymous: 401, memberA: 200, memberB: 404, admin: 200 },
    },
    {
      name: 'file limits',
      request: async () => ({ method: 'GET', url: '/api/crm/feed/limits' }),
      expected: { anonymous: 401, memberA: 200, memberB: 200, admin: 200 },
    },
    {
      name: "upload to A's deal",
      request: async () => ({
        method: 'POST',
        url: `/api/crm/opportunities/${ids.a}/feed/files?name=a.txt`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from('bytes'),
      }),
      expected: { anonymous: 401, memberA: 201, memberB: 404, admin: 201 },
    },
    {
      name: "download a file of A's deal",
      request: async () => ({ method: 'GET', url: (await fileByA()).downloadUrl }),
      expected: { anonymous: 401, memberA: 200, memberB: 404, admin: 200 },
    },
    {
      name: "preview an image of A's deal",
      request: async () => ({ method: 'GET', url: `${(await fileByA()).downloadUrl}/preview` }),
      expected: { anonymous: 401, memberA: 200, memberB: 404, admin: 200 },
    },
    {
      name: 'read the default posting rule',
      request: async () => ({ method: 'GET', url: '/api/admin/crm/feed-settings' }),
      expected: adminOnly(),
    },
    {
      name: 'write the default posting rule',
      request: async () => ({
        method: 'PUT',
        url: '/api/admin/crm/feed-settings',
        payload: { whoMayPost: 'members' },
      }),
      expected: adminOnly(),
    },
    {
      name: 'read the notification email status',
      request: async () => ({ method: 'GET', url: '/api/admin/crm/mail-status' }),
      expected: adminOnly(),
    },
    {
      name: "write an opportunity's own rules (posting, adding members)",
      request: async () => ({
        method: 'PUT',
        url: `/api/admin/crm/opportunities/${ids.a}/feed-settings`,
        payload: { whoMayPost: null, whoMayAddMembers: null },
      }),
      expected: adminOnly(),
    },
  ]

  it('covers every feed endpoint', async () => {
    const covered: string[] = []
    for (const c of cases) {
      const request = await c.request()
      covered.push(`${request.method} ${(request.url as string).split('?')[0]}`)
    }
    const feedEndpoints = t.endpoints.filter((e) => e.tag === 'feed')
    for (const endpoint of feedEndpoints) {
      const pattern = new RegExp(`^${endpoint.method} ${endpoint.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`)
      expect({ endpoint: endpoint.path, covered: covered.some((c) => pattern.test(c)) }).toEqual({
        endpoint: endpoint.path,
        covered: true,
      })
    }
  })

  it.each(cases)('$name', async ({ request, expected }) => {
    const actual: Record<string, number> = {}
    for (const who of Object.keys(expected) as Who[]) {
      actual[who] = (await clients[who].request(await request())).statusCode
    }
    expect(actual).toEqual(expected)
  })

  it('answers B the same for "not on the deal" and "no such deal"', async () => {
    const other = await clients.memberB.request({
      method: 'GET',
      url: `/api/crm/opportunities/${ids.a}/feed`,
    })
    const missing = await clients.memberB.request({
      method: 'GET',
      url: '/api/crm/opportunities/006000000000000AAA/feed',
    })
    expect(other.statusCode).toBe(404)
    expect(other.json()).toEqual(missing.json())
  })
})
