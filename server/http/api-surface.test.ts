// Walks every route in the OpenAPI document: anonymous callers are refused wherever sign-in is required, and
// members are refused every admin route. A new route is covered the moment it is added to a contract.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { LIVE_PATH } from '../../contracts/api/live.api.js'
import { buildTestApp, type Client, type TestApp } from '../testing/test-app.js'

function requestFor(op: { method: string; path: string }): InjectOptions {
  const method = op.method as 'GET' | 'POST' | 'PATCH' | 'DELETE'
  return op.method === 'GET' ? { method, url: op.path } : { method, url: op.path, payload: {} }
}

interface Operation {
  'x-access': 'public' | 'user' | 'admin'
}

describe('the API surface', () => {
  let t: TestApp
  let member: Client
  let operations: Array<{ method: string; path: string; access: Operation['x-access'] }>

  beforeAll(async () => {
    t = await buildTestApp()
    member = await t.signIn((await t.createUser({ role: 'member' })).email)
    const document = (await t.anonymous().request({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>
    }>()
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        // A syntactically valid id, so access is checked before "not found".
        path: path
          .replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')
          .replace('modules/00000000-0000-4000-8000-000000000000', 'modules/crm'),
        access: operation['x-access'],
      })),
    )
  })
  afterAll(() => t.close())

  it('documents every registered route with who may call it', () => {
    expect(operations.length).toBe(t.endpoints.length)
    expect(operations.every((op) => ['public', 'user', 'admin'].includes(op.access))).toBe(true)
  })

  it('refuses anonymous callers wherever sign-in is required', async () => {
    const protectedOps = operations.filter((op) => op.access !== 'public')
    expect(protectedOps.length).toBeGreaterThan(3)
    for (const op of protectedOps) {
      const response = await t.anonymous().request(requestFor(op))
      expect({ route: `${op.method} ${op.path}`, status: response.statusCode }).toEqual({
        route: `${op.method} ${op.path}`,
        status: 401,
      })
    }
  })

  it('refuses members on every admin route', async () => {
    const adminOps = operations.filter((op) => op.access === 'admin')
    for (const op of adminOps) {
      const response = await member.request(requestFor(op))
      expect({ route: `${op.method} ${op.path}`, status: response.statusCode }).toEqual({
        route: `${op.method} ${op.path}`,
        status: 403,
      })
    }
  })

  it('marks every API answer as not to be stored, errors and the session endpoint included', async () => {
    // The session answer carries the CSRF token; signed-in answers carry what only that user may see.
    const admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const callerFor = { public: t.anonymous(), user: member, admin }
    const answers = [
      ...(await Promise.all(
        operations
          // The event stream never ends, so app.inject cannot read it; live.test.ts checks its headers.
          .filter((op) => op.method === 'GET' && op.path !== LIVE_PATH)
          .map(async (op) => ({ op, response: await callerFor[op.access].request(requestFor(op)) })),
      )),
      // Refusals before any handler ran (401, 403) too.
      ...(await Promise.all(
        operations
          .filter((op) => op.access !== 'public')
          .map(async (op) => ({ op, response: await t.anonymous().request(requestFor(op)) })),
      )),
      {
        op: { method: 'GET', path: '/api/auth/session' },
        response: await admin.request(requestFor({ method: 'GET', path: '/api/auth/session' })),
      },
    ]
    const stored = answers
      .filter(({ response }) => response.headers['cache-control'] !== 'no-store')
      .map(({ op, response }) => `${op.method} ${op.path} ${response.statusCode}`)
    expect(answers.length).toBeGreaterThan(40)
    expect(stored).toEqual([])
  })

  it('serves a human-readable docs page listing the routes', async () => {
    const page = await t.anonymous().request({ method: 'GET', url: '/api/docs' })
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.body).toContain('/api/admin/users/:id')
  })
})

describe('bad requests', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  const login = (payload: string, contentType = 'application/json') =>
    t
      .anonymous()
      .request({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': contentType }, payload })

  it('answers malformed JSON, other media types and oversize bodies with specific errors', async () => {
    expect((await login('{"email":')).json().error.code).toBe('MALFORMED_JSON')
    expect((await login('email=a', 'application/x-www-form-urlencoded')).json().error.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    )
    const huge = await login(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2_000_000) }))
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers unknown API paths with the JSON error shape and sets security headers', async () => {
    const response = await t.anonymous().request({ method: 'GET', url: '/api/nope' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No such endpoint: GET /api/nope' },
    })
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(response.headers['x-request-id']).toBeTruthy()
  })

  it('reports liveness and readiness', async () => {
    expect((await t.anonymous().request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.anonymous().request({ method: 'GET', url: '/readyz' })).json()).toMatchObject({
      status: 'ready',
    })
  })
})
