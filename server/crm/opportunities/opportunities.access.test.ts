// The access matrix: every opportunity and member endpoint, called by anonymous, member A, member B and an
// admin. Members reach only their own opportunities (someone else's is indistinguishable from a missing
// one) and no admin route.
import { randomUUID } from 'node:crypto'

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

describe('opportunity access matrix', () => {
  let t: TestApp
  let clients: Record<Who, Client>
  const ids = { a: '', b: '', unassigned: '' }
  const users = { a: '', b: '', admin: '', colleague: '' }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    const [a, b, admin] = [
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'member' }),
      await t.createUser({ role: 'admin' }),
    ]
    // Someone to add to a deal without changing what A, B or the admin are assigned.
    const colleague = await t.createUser({ role: 'member' })
    Object.assign(users, { a: a.id, b: b.id, admin: admin.id, colleague: colleague.id })
    const connection = await makeConnection(db)
    ids.a = (await makeOpportunity(db, connection.id, { name: 'Alpha deal' })).id
    ids.b = (await makeOpportunity(db, connection.id, { name: 'Beta deal' })).id
    ids.unassigned = (await makeOpportunity(db, connection.id, { name: 'Nobody deal' })).id
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
  afterAll(() => t.close())

  const member = (own: 'a' | 'b' | 'none'): Expected => ({
    anonymous: 401,
    memberA: own === 'a' ? 200 : 404,
    memberB: own === 'b' ? 200 : 404,
    admin: 200,
  })
  const anyone: Expected = { anonymous: 401, memberA: 200, memberB: 200, admin: 200 }
  const adminOnly = (status = 200): Expected => ({
    anonymous: 401,
    memberA: 403,
    memberB: 403,
    admin: status,
  })

  const cases: Array<{ name: string; request: () => InjectOptions; expected: Expected }> = [
    {
      name: 'member list',
      request: () => ({ method: 'GET', url: '/api/crm/opportunities' }),
      expected: anyone,
    },
    {
      name: 'member summary',
      request: () => ({ method: 'GET', url: '/api/crm/opportunities/summary' }),
      expected: anyone,
    },
    {
      name: "detail of A's",
      request: () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.a}` }),
      expected: member('a'),
    },
    {
      name: "detail of B's",
      request: () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.b}` }),
      expected: member('b'),
    },
    {
      name: 'detail of an unassigned one',
      request: () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.unassigned}` }),
      expected: member('none'),
    },
    {
      name: 'detail of a nonexistent one',
      request: () => ({ method: 'GET', url: '/api/crm/opportunities/006000000000000AAA' }),
      expected: { anonymous: 401, memberA: 404, memberB: 404, admin: 404 },
    },
    {
      name: 'admin list',
      request: () => ({ method: 'GET', url: '/api/admin/crm/opportunities' }),
      expected: adminOnly(),
    },
    {
      name: 'admin totals',
      request: () => ({ method: 'GET', url: '/api/admin/crm/opportunities/totals' }),
      expected: adminOnly(),
    },
    {
      name: 'admin detail',
      request: () => ({ method: 'GET', url: `/api/admin/crm/opportunities/${ids.a}` }),
      expected: adminOnly(),
    },
    {
      name: 'member list of an opportunity',
      request: () => ({ method: 'GET', url: `/api/admin/crm/opportunities/${ids.a}/members` }),
      expected: adminOnly(),
    },
    {
      name: 'add member',
      request: () => ({
        method: 'POST',
        url: `/api/admin/crm/opportunities/${ids.unassigned}/members`,
        payload: { userId: users.a },
      }),
      expected: adminOnly(),
    },
    {
      // With the default (only admins add members) a member on the deal is refused, anyone else finds nothing.
      name: 'add member from the portal',
      request: () => ({
        method: 'POST',
        url: `/api/crm/opportunities/${ids.a}/members`,
        payload: { userId: users.colleague },
      }),
      expected: { anonymous: 401, memberA: 403, memberB: 404, admin: 200 },
    },
    {
      // Members of the deal and admins get an answer (with the default, members' says they may not add).
      name: 'people to add from the portal',
      request: () => ({ method: 'GET', url: `/api/crm/opportunities/${ids.a}/addable-people` }),
      expected: member('a'),
    },
    {
      name: 'remove member',
      request: () => ({
        method: 'DELETE',
        url: `/api/admin/crm/opportunities/${ids.unassigned}/members/${users.a}`,
      }),
      expected: adminOnly(),
    },
    {
      name: 'bulk change',
      request: () => ({
        method: 'POST',
        url: '/api/admin/crm/opportunities/members/bulk',
        payload: { opportunityIds: [ids.unassigned], userId: users.b, action: 'remove' },
      }),
      expected: adminOnly(),
    },
    {
      // Nothing matches the search, so the admin's call is refused as a changed selection (nothing written).
      name: 'bulk change by filter',
      request: () => ({
        method: 'POST',
        url: '/api/admin/crm/opportunities/members/bulk-by-filter',
        payload: { filters: { search: 'no such deal' }, expectedCount: 1, userId: users.b, action: 'add' },
      }),
      expected: adminOnly(409),
    },
    {
      name: 'assignment import',
      request: () => ({
        method: 'POST',
        url: '/api/admin/crm/opportunities/members/import',
        payload: { csv: `email,opportunity_id\n`, dryRun: true },
      }),
      expected: adminOnly(),
    },
    {
      name: 'suggestions',
      request: () => ({ method: 'GET', url: `/api/admin/crm/opportunities/${ids.a}/member-suggestions` }),
      expected: adminOnly(),
    },
    {
      name: 'accept suggestions',
      request: () => ({
        method: 'POST',
        url: `/api/admin/crm/opportunities/${ids.a}/member-suggestions/accept`,
        payload: {},
      }),
      expected: adminOnly(),
    },
    {
      name: 'access explanation',
      request: () => ({
        method: 'GET',
        url: `/api/admin/crm/access-explanation?userId=${users.a}&opportunityId=${ids.a}`,
      }),
      expected: adminOnly(),
    },
    {
      name: 'members overview',
      request: () => ({ method: 'GET', url: '/api/admin/crm/member-overview' }),
      expected: adminOnly(),
    },
    {
      name: "a user's opportunities in the members overview",
      request: () => ({ method: 'GET', url: `/api/admin/crm/member-overview/${users.a}/opportunities` }),
      expected: adminOnly(),
    },
    {
      name: 'export assignments',
      request: () => ({ method: 'GET', url: '/api/admin/crm/opportunities/members/export' }),
      expected: adminOnly(),
    },
    {
      name: 'read setting',
      request: () => ({ method: 'GET', url: '/api/admin/crm/assignment-settings' }),
      expected: adminOnly(),
    },
    {
      name: 'write setting',
      request: () => ({
        method: 'PUT',
        url: '/api/admin/crm/assignment-settings',
        payload: { autoAssign: false },
      }),
      expected: adminOnly(),
    },
    {
      name: 'assignable users',
      request: () => ({ method: 'GET', url: '/api/admin/crm/assignable-users?search=user' }),
      expected: adminOnly(),
    },
    {
      name: 'filter options',
      request: () => ({ method: 'GET', url: '/api/admin/crm/opportunities/filter-options' }),
      expected: adminOnly(),
    },
    {
      // Edits are off by default: the member's own deal says so (403), someone else's stays a 404.
      name: "edit of A's with edits off",
      request: () => ({
        method: 'PATCH',
        url: `/api/crm/opportunities/${ids.a}`,
        payload: {
          idempotencyKey: randomUUID(),
          lastModifiedDate: '2026-01-01T00:00:00.000Z',
          values: { NextStep: 'Call back' },
        },
      }),
      expected: { anonymous: 401, memberA: 403, memberB: 404, admin: 403 },
    },
    {
      name: 'edit options',
      request: () => ({ method: 'GET', url: '/api/crm/edit-options' }),
      expected: anyone,
    },
    {
      name: 'edit settings',
      request: () => ({ method: 'GET', url: '/api/admin/crm/edit-settings' }),
      expected: adminOnly(),
    },
    {
      name: 'save edit settings',
      request: () => ({
        method: 'PUT',
        url: '/api/admin/crm/edit-settings',
        payload: { allowEdits: false, editableFields: [], whoMayEdit: 'members' },
      }),
      expected: adminOnly(),
    },
  ]

  it('covers every opportunity and member endpoint', () => {
    const covered = new Set(
      cases.map((c) => `${c.request().method} ${(c.request().url as string).split('?')[0]}`),
    )
    const crmEndpoints = t.endpoints.filter((e) => ['opportunities', 'opportunity members'].includes(e.tag))
    expect(crmEndpoints.length).toBe(28)
    for (const endpoint of crmEndpoints) {
      const pattern = new RegExp(`^${endpoint.method} ${endpoint.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`)
      expect({
        endpoint: `${endpoint.method} ${endpoint.path}`,
        covered: [...covered].some((c) => pattern.test(c)),
      }).toEqual({ endpoint: `${endpoint.method} ${endpoint.path}`, covered: true })
    }
  })

  it.each(cases)('$name', async ({ request, expected }) => {
    const actual: Record<string, number> = {}
    for (const who of Object.keys(expected) as Who[]) {
      actual[who] = (await clients[who].request(request())).statusCode
    }
    expect(actual).toEqual(expected)
  })

  it('answers a member the same for "not assigned" and "does not exist"', async () => {
    const other = await clients.memberA.request({ method: 'GET', url: `/api/crm/opportunities/${ids.b}` })
    const missing = await clients.memberA.request({
      method: 'GET',
      url: '/api/crm/opportunities/006000000000000AAA',
    })
    expect(other.json()).toEqual(missing.json())
    expect(other.body).not.toContain('Beta')
  })

  it('lists only the signed-in member their own opportunities', async () => {
    const listA = await clients.memberA.request({ method: 'GET', url: '/api/crm/opportunities' })
    expect(listA.json().items.map((item: { id: string }) => item.id)).toEqual([ids.a])
    const listAdmin = await clients.admin.request({ method: 'GET', url: '/api/crm/opportunities' })
    expect(listAdmin.json()).toMatchObject({ status: 'no_assignments', items: [] })
  })
})
