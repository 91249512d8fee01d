import type { z } from 'zod'

import { AppError } from '../errors.js'

const MAX_DEPTH = 32
const NUL_MESSAGE = 'Text may not contain NUL characters.'

/**
 * Parses input with a zod schema; on failure, a 400 naming each failing field. Text with a NUL byte is refused
 * whatever the schema says: no database stores it in text (PostgreSQL: "invalid byte sequence for encoding
 * UTF8: 0x00", https://www.postgresql.org/docs/current/datatype-character.html) and no field needs it.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'params' | 'query' | 'body',
): z.infer<S> {
  const withNul = nulPaths(input, [])
  if (withNul.length > 0) {
    throw invalid(where, Object.fromEntries(withNul.map((path) => [path.join('.') || where, NUL_MESSAGE])))
  }
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}))
  if (result.success) return result.data
  const fields: Record<string, string> = {}
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] = 'Unknown field.'
      continue
    }
    const path = issue.path.length > 0 ? issue.path.join('.') : where
    fields[path] ??= issue.message
  }
  throw invalid(where, fields)
}

function invalid(where: 'params' | 'query' | 'body', fields: Record<string, string>): AppError {
  const names = Object.keys(fields).join(', ')
  return new AppError(
    'VALIDATION_FAILED',
    `Some ${where === 'body' ? 'fields are' : `${where} are`} not valid: ${names}.`,
    fields,
  )
}

/**
 * The path of every string (value or key) holding a NUL byte in parsed JSON or a query. Deeper than any
 * contract goes it stops looking: the schema refuses such nesting anyway.
 */
export function nulPaths(value: unknown, path: Array<string | number>): Array<Array<string | number>> {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : []
  if (path.length > MAX_DEPTH) return []
  if (Array.isArray(value)) return value.flatMap((item, index) => nulPaths(item, [...path, index]))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000') ? [[...path, key.replaceAll('\u0000', '\\0')]] : nulPaths(item, [...path, key]),
  )
}
