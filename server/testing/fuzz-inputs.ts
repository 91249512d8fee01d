// Inputs for the fuzz walks (server/http/input-fuzz.test.ts, server/identity/scim/scim-fuzz.test.ts): a plausible
// value for each JSON Schema (so the other fields of a body pass and the hostile one is what the server meets),
// and the hostile values: NUL bytes, dates that pass a format check but not the calendar, forged keyset
// cursors, oversize and odd text, numbers outside every range, wrong types.

import type { InjectOptions, LightMyRequestResponse } from 'fastify'

import type { Client } from './test-app.js'

export type JsonSchema = {
  type?: string
  format?: string
  pattern?: string
  enum?: unknown[]
  const?: unknown
  minimum?: number
  exclusiveMinimum?: number
  minLength?: number
  minItems?: number
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  anyOf?: JsonSchema[]
}

/** A value that passes `schema`, guessed from its type, format and the field's name. */
export function exampleFor(schema: JsonSchema, name = ''): unknown {
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return schema.enum[0]
  if (schema.anyOf?.[0]) return exampleFor(schema.anyOf[0], name)
  switch (schema.type) {
    case 'boolean':
      return true
    case 'integer':
    case 'number':
      return schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? 1)
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () =>
        exampleFor(schema.items ?? {}, name),
      )
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, property]) => [key, exampleFor(property, key)]),
      )
    default:
      return exampleString(schema, name)
  }
}

function exampleString(schema: JsonSchema, name: string): string {
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000'
  if (schema.format === 'date') return '2026-01-15'
  if (schema.format === 'uri' || /url|issuer/i.test(name)) return 'http://127.0.0.1:9'
  if (schema.format === 'email' || /email/i.test(name)) return 'fuzz@example.com'
  if (schema.pattern?.includes('{15,18}')) return '006000000000001AAA'
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 12))
}

/** A keyset cursor as list-cursor.ts encodes it, with whatever key and id a forger chooses. */
export function forgedCursor(sort: string, key: string, id = '006000000000001AAA'): string {
  return Buffer.from(JSON.stringify({ s: sort, d: 'asc', k: key, i: id })).toString('base64url')
}

export const NUL_TEXT = 'a\u0000b'

/** Cursors with keys a sort expression cannot cast, each with the sort it claims (sent with that sort too). */
export const forgedCursors: ReadonlyArray<{ sort: string; cursor: string }> = [
  ['closeDate', '2026-13-01'],
  ['closeDate', '2026-02-30'],
  ['closeDate', '0000-01-01'],
  ['closeDate', '99999999-01-01'],
  ['lastModified', '2026-13-01 00:00:00+00'],
  ['lastModified', '2026-01-01 25:00:00+00'],
  ['lastModified', '2026-01-01 00:00:00+99'],
  ['amount', `1${'0'.repeat(20)}`],
  ['name', NUL_TEXT],
].map(([sort = '', key = '']) => ({ sort, cursor: forgedCursor(sort, key) }))

/** Text every string parameter is sent (as the whole value). */
export const hostileStrings: readonly string[] = [
  NUL_TEXT,
  '\u0000',
  '2026-13-01',
  '2026-02-30',
  '2026-13-45T25:61:00Z',
  '9999999-01-01',
  'x'.repeat(10_000),
  '%',
  "' OR 1=1 --",
  ...forgedCursors.map((forged) => forged.cursor),
  forgedCursor('name', 'x', '00600000000000\u0000AAA'),
]

/** Numbers as text (query and path values arrive as text). */
export const hostileNumberTexts: readonly string[] = ['-1', '0', '1e309', 'NaN', '9007199254740993', '1.5']

/** What a JSON body field is sent besides the hostile strings: other types and extremes. */
export const hostileJsonValues: readonly unknown[] = [
  null,
  [],
  {},
  true,
  1e308,
  -1,
  [NUL_TEXT],
  { a: NUL_TEXT },
]

export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(containsNul)
  if (value && typeof value === 'object') return Object.values(value).some(containsNul)
  return false
}

export interface FuzzCase {
  /** Route and where the hostile value went. */
  label: string
  request: InjectOptions & { url: string }
  hasNul: boolean
}

/**
 * Sends every case as every caller, one at a time. Lists each 5xx answer, and each NUL case whose answer
 * `refusesNul` (asked only for cases with a NUL byte) does not accept as a 400 naming the field.
 */
export async function sendAll<C extends FuzzCase>(
  callers: Record<string, Client>,
  cases: readonly C[],
  refusesNul: (role: string, c: C, response: LightMyRequestResponse) => boolean,
): Promise<{ sent: number; failures: string[]; unnamed: string[] }> {
  const result = { sent: 0, failures: [] as string[], unnamed: [] as string[] }
  for (const [role, client] of Object.entries(callers)) {
    for (const c of cases) {
      const response = await client.request(c.request)
      result.sent += 1
      const label = `${role} ${c.label}=${c.request.url.slice(0, 80)} -> ${response.statusCode} ${response.body.slice(0, 200)}`
      if (response.statusCode >= 500) result.failures.push(label)
      if (c.hasNul && !refusesNul(role, c, response)) result.unnamed.push(label)
    }
  }
  return result
}
