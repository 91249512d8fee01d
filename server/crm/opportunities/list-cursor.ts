// Keyset cursors for the opportunity lists. The cursor is opaque to clients (base64url JSON) but carries the
// sort it was made for, and is validated on the way back in: a tampered or stale cursor is a 400, never an
// SQL error or a silently wrong page.
import { z } from 'zod'

import { opportunitySorts, type OpportunitySort } from '../../../contracts/api/opportunities.api.js'
import { AppError } from '../../errors.js'

/** The last row of a page: its sort key (as PostgreSQL prints the sort expression) and its id. */
export interface ListCursor {
  sort: OpportunitySort
  direction: 'asc' | 'desc'
  key: string
  id: string
}

// Formats the sort expressions print in (see sortExpressions in opportunity-list-sql.repository.ts).
const keyFormats: Record<OpportunitySort, z.ZodType<string>> = {
  closeDate: z.string().regex(/^(\d{4,}-\d{2}-\d{2}|infinity)$/),
  amount: z.string().regex(/^(-?\d{1,20}(\.\d{1,4})?|-Infinity)$/),
  name: z.string().max(1000),
  lastModified: z
    .string()
    .regex(/^(\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?|-infinity)$/),
}

const CursorSchema = z.strictObject({
  s: z.enum(opportunitySorts),
  d: z.enum(['asc', 'desc']),
  k: z.string(),
  i: z.string().regex(/^[A-Za-z0-9]{15,18}$/),
})

export function encodeCursor(cursor: ListCursor): string {
  const payload = { s: cursor.sort, d: cursor.direction, k: cursor.key, i: cursor.id }
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

/** Decodes a cursor made for `sort` and `direction`; throws VALIDATION_FAILED otherwise. */
export function decodeCursor(text: string, sort: OpportunitySort, direction: 'asc' | 'desc'): ListCursor {
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
  if (!parsed.success || !keyFormats[parsed.data.s].safeParse(parsed.data.k).success) {
    throw invalid('it is not a cursor this server made')
  }
  if (parsed.data.s !== sort || parsed.data.d !== direction) throw invalid('it belongs to another sort order')
  return { sort, direction, key: parsed.data.k, id: parsed.data.i }
}
