// The SCIM routes are not in the OpenAPI document (their own scope, server/identity/scim/scim.routes.ts), so
// this walks them by hand with the same hostile values as server/http/input-fuzz.test.ts: every path
// parameter, query parameter and body field (nested ones too), as an anonymous caller, a signed-in member
// (session cookie, which SCIM ignores) and the identity provider (bearer token). No answer may be a 5xx; with
// the token, text with a NUL byte is a 400 invalidValue whose detail names the attribute.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  forgedCursors,
  hostileJsonValues,
  hostileNumberTexts,
  hostileStrings,
  NUL_TEXT,
  containsNul,
  sendAll,
  type FuzzCase,
} from '../../testing/fuzz-inputs.js'
import { startScimFixture, type ScimFixture } from '../../testing/scim-fixture.js'
import type { Client } from '../../testing/test-app.js'
import { SLOW_TEST_TIMEOUT_MS } from '../../testing/timing.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ID = '00000000-0000-4000-8000-000000000000'

const userBody = {
  schemas: [USER],
  userName: 'fuzz@example.com',
  externalId: 'ext-1',
  name: { givenName: 'Fuzz', familyName: 'Test' },
  displayName: 'Fuzz Test',
  emails: [{ value: 'fuzz@example.com', primary: true, type: 'work' }],
  active: true,
}
const groupBody = { schemas: [GROUP], displayName: 'Fuzzers', members: [{ value: ID }] }
const patchBody = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] }
const listQuery = {
  filter: 'userName eq "fuzz@example.com"',
  startIndex: '1',
  count: '10',
  attributes: 'userName',
}

interface Op {
  method: InjectOptions['method'] & string
  path: string
  query?: Record<string, string>
  body?: Record<string, unknown>
}
const operations: Op[] = [
  ...['Users', 'Groups'].flatMap((type): Op[] => [
    { method: 'GET', path: `/${type}`, query: { ...listQuery, excludedAttributes: 'members' } },
    { method: 'GET', path: `/${type}/{id}`, query: { attributes: 'id' } },
    { method: 'POST', path: `/${type}`, body: type === 'Users' ? userBody : groupBody },
    { method: 'PUT', path: `/${type}/{id}`, body: type === 'Users' ? userBody : groupBody },
    { method: 'PATCH', path: `/${type}/{id}`, body: patchBody },
    { method: 'DELETE', path: `/${type}/{id}` },
  ]),
  { method: 'GET', path: '/ServiceProviderConfig' },
  { method: 'GET', path: '/ResourceTypes/{id}' },
  { method: 'GET', path: '/Schemas/{id}' },
]

/** Filters a provider could send, with the hostile value in the comparison. */
const hostileFilters = [
  `userName eq "${NUL_TEXT}"`,
  'meta.lastModified gt "2026-13-01T00:00:00Z"',
  'meta.created lt "2026-02-30T25:61:00Z"',
  'externalId eq "\u0000"',
  'displayName co "' + 'x'.repeat(10_000) + '"',
  `emails[value eq "${NUL_TEXT}"]`,
]
const hostileTexts = [...hostileStrings, ...hostileNumberTexts, ...forgedCursors.map((f) => f.cursor)]

/** Each leaf of a JSON value with its path ("name.givenName", "emails.0.value"). */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, String(i)]))
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]))
  return [path]
}
function replaced(value: unknown, path: string[], next: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return next
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>
  copy[head] = replaced(copy[head], rest, next)
  return copy
}

interface Case extends FuzzCase {
  attribute: string
}
function casesFor(op: Op): Case[] {
  const request = (id: string, query: Record<string, string>, body: unknown): Case['request'] => {
    const search = new URLSearchParams(query).toString()
    const url = `/scim/v2${op.path.replace('{id}', encodeURIComponent(id))}${search ? `?${search}` : ''}`
    return {
      method: op.method,
      url,
      ...(body === undefined
        ? {}
        : { payload: JSON.stringify(body), headers: { 'content-type': 'application/scim+json' } }),
    }
  }
  const query = op.query ?? {}
  const cases: Case[] = []
  const add = (where: string, attribute: string, req: Case['request'], value: unknown) =>
    cases.push({
      label: `${op.method} ${op.path} ${where}`,
      request: req,
      hasNul: containsNul(value),
      attribute,
    })
  if (op.path.includes('{id}')) for (const v of hostileTexts) add('id', 'id', request(v, query, op.body), v)
  for (const name of ['filter', ...Object.keys(query)]) {
    for (const v of [...hostileTexts, ...(name === 'filter' ? hostileFilters : [])]) {
      add(`query.${name}`, name, request(ID, { ...query, [name]: v }, op.body), v)
    }
  }
  for (const path of op.body ? leaves(op.body) : []) {
    for (const v of [...hostileTexts, ...hostileJsonValues]) {
      add(`body.${path.join('.')}`, path.join('.'), request(ID, query, replaced(op.body, path, v)), v)
    }
  }
  return cases
}

describe('hostile input on every SCIM route', () => {
  let f: ScimFixture
  let callers: Record<'anonymous' | 'member' | 'provider', Client>
  beforeAll(async () => {
    f = await startScimFixture()
    const member = await f.t.signIn((await f.t.createUser({ role: 'member' })).email)
    const bearer = { authorization: `Bearer ${f.token}` }
    callers = {
      anonymous: f.t.anonymous(),
      member,
      provider: {
        session: null,
        request: (options) => f.t.app.inject({ ...options, headers: { ...options.headers, ...bearer } }),
      },
    }
  })
  afterAll(() => f.close())

  it(
    'answers no hostile value with a 5xx, and text with a NUL byte with a 400 naming the attribute',
    async () => {
      const cases = operations.flatMap(casesFor)
      const { failures, unnamed } = await sendAll(callers, cases, (role, c, response) => {
        if (role !== 'provider') return true
        const detail = response.json<{ detail?: string }>().detail ?? ''
        return response.statusCode === 400 && detail.includes(c.attribute.split('.')[0] ?? '')
      })
      expect(cases.length).toBeGreaterThan(1000)
      expect(failures).toEqual([])
      expect(unnamed).toEqual([])
    },
    SLOW_TEST_TIMEOUT_MS,
  )
})
