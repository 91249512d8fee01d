// Keyset cursors for the opportunity lists. The cursor is opaque to clients (base64url JSON) but carries the
// sort it was made for, and is validated on the way back in: a tampered or stale cursor is a 400, never an
// SQL error or a silently wrong page.
import { z } from 'zod'

import { memberSorts, type ListSort } from '../../../contracts/api/opportunities.api.js'
import { AppError } from '../../errors.js'

/** The last row of a page: its sort key (as PostgreSQL prints the sort expression) and its id. */
export interface ListCursor<S extends ListSort = ListSort> {
  sort: S
  direction: 'asc' | 'desc'
  key: string
  id: string
}

// Formats the sort expressions print in (see sortExpressions in opportunity-list-sql.repository.ts), checked against
// the calendar too: a forged "2026-13-01" passes a pattern but PostgreSQL refuses to cast it.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:(\d{2}))?$/
const keyFormats: Record<ListSort, (key: string) => boolean> = {
  closeDate: (key) => key === 'infinity' || isCalendarDate(key),
  amount: (key) => /^(-?\d{1,20}(\.\d{1,4})?|-Infinity)$/.test(key),
  name: (key) => key.length <= 1000 && !key.includes('\u0000'),
  lastModified: (key) => key === '-infinity' || isTimestamp(key),
  lastActivity: (key) => key === '-infinity' || isTimestamp(key),
}

/** YYYY-MM-DD naming a day that exists (year 1 to 9999; PostgreSQL has no year 0). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  )
}

function isTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text)
  if (!match) return false
  const part = (index: number) => Number(match[index] ?? 0)
  // Hours, minutes, seconds, offset hours (PostgreSQL allows ±15:59) and offset minutes.
  return (
    isCalendarDate(match[1] ?? '') &&
    part(2) <= 23 &&
    part(3) <= 59 &&
    part(4) <= 59 &&
    part(6) <= 15 &&
    part(8) <= 59
  )
}

const CursorSchema = z.strictObject({
  s: z.enum(memberSorts),
  d: z.enum(['asc', 'desc']),
  k: z.string(),
  i: z.string().regex(/^[A-Za-z0-9]{15,18}$/),
})

export function encodeCursor(cursor: ListCursor): string {
  const payload = { s: cursor.sort, d: cursor.direction, k: cursor.key, i: cursor.id }
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

/** Decodes a cursor made for `sort` and `direction`; throws VALIDATION_FAILED otherwise. */
export function decodeCursor<S extends ListSort>(
  text: string,
  sort: S,
  direction: 'asc' | 'desc',
): ListCursor<S> {
  const invalid = (why: string) =>
    new AppError(
      'VALIDATION_FAILED',
      `The page cursor is not valid: ${why}. Start again from the first page.`,
      {
        cursor: why,
      },
    )
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw invalid('it is not a cursor this server made')
  }
  const parsed = CursorSchema.safeParse(raw)
  if (!parsed.success || !keyFormats[parsed.data.s](parsed.data.k)) {
    throw invalid('it is not a cursor this server made')
  }
  if (parsed.data.s !== sort || parsed.data.d !== direction) throw invalid('it belongs to another sort order')
  return { sort, direction, key: parsed.data.k, id: parsed.data.i }
}
