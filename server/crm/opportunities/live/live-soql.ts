// SOQL text for live reads (cache off). Every value that reaches a statement goes through a literal function
// here: strings are quoted with Salesforce's escapes (SOQL and SOSL Reference, "Quoted String Escape
// Sequences": \' and \\, plus \n \r \t for control characters; in LIKE, \% and \_ are literal % and _), and
// ids, dates, numbers and datetimes are validated first, so no input can change a statement's shape.
import type { OpportunityFilters, OpportunitySort } from '../../../../contracts/api/opportunities.api.js'
import { AppError } from '../../../errors.js'
import type { ListCursor } from '../list-cursor.js'

/**
 * Ids per statement. A statement may hold 100,000 characters (Salesforce Developer Limits, "SOQL and SOSL
 * Limits for Search Queries"), but a REST query travels in the URL, and the URI plus headers of one call may
 * not pass 16,384 bytes (Salesforce Help 000386264). An id costs 27 URL-encoded characters ('…', and the
 * comma), so 300 ids take about 8,100 and leave room for the fields, filters and the OAuth header. Longer
 * lists are split into several statements (see live-query.ts).
 */
export const IDS_PER_STATEMENT = 300

const ID = /^[A-Za-z0-9]{15,18}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'\n\r\t]/g, (ch) => {
    if (ch === '\n') return '\\n'
    if (ch === '\r') return '\\r'
    if (ch === '\t') return '\\t'
    return `\\${ch}`
  })
  return `'${escaped}'`
}

/** `%value%` for LIKE, with the value's own % and _ escaped so they match themselves. */
export function soqlContains(value: string): string {
  // After quoting no bare % or _ is an escape yet, so escaping them now cannot double up.
  const escaped = soqlString(value)
    .slice(1, -1)
    .replace(/[%_]/g, (ch) => `\\${ch}`)
  return `'%${escaped}%'`
}

export function soqlId(id: string): string {
  if (!ID.test(id)) throw new AppError('VALIDATION_FAILED', 'Not a valid Salesforce id.', { id })
  return `'${id}'`
}

export function soqlIdList(ids: readonly string[]): string {
  return `(${ids.map(soqlId).join(', ')})`
}

function soqlDate(date: string): string {
  if (!DATE.test(date)) throw new AppError('VALIDATION_FAILED', 'Use a date as YYYY-MM-DD.', { date })
  return date
}

/** The WHERE conditions of the shared filters, in Salesforce's terms (the same meaning as matchesFilters). */
export function filterConditions(filters: Partial<OpportunityFilters>): string[] {
  const conditions: string[] = []
  if (filters.search) {
    const pattern = soqlContains(filters.search)
    conditions.push(`(Name LIKE ${pattern} OR Account.Name LIKE ${pattern})`)
  }
  if (filters.stage?.length) conditions.push(`StageName IN (${filters.stage.map(soqlString).join(', ')})`)
  if (filters.owner?.length) conditions.push(`OwnerId IN ${soqlIdList(filters.owner)}`)
  if (filters.status === 'open') conditions.push('IsClosed = false')
  if (filters.status === 'closed') conditions.push('IsClosed = true')
  if (filters.status === 'won') conditions.push('IsWon = true')
  if (filters.status === 'lost') conditions.push('(IsClosed = true AND IsWon = false)')
  if (filters.closeDateFrom) conditions.push(`CloseDate >= ${soqlDate(filters.closeDateFrom)}`)
  if (filters.closeDateTo) conditions.push(`CloseDate <= ${soqlDate(filters.closeDateTo)}`)
  return conditions
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
}

interface SortField {
  field: string
  /** Where the cache's sort expression puts NULL: closeDate folds to +infinity, the others to -infinity. */
  nullsHigh: boolean
  /** The cursor key a null value prints as (list-cursor.ts formats). */
  nullKey: string | undefined
  literal(key: string): string
}

const sortFields: Record<OpportunitySort, SortField> = {
  closeDate: { field: 'CloseDate', nullsHigh: true, nullKey: 'infinity', literal: soqlDate },
  amount: { field: 'Amount', nullsHigh: false, nullKey: '-Infinity', literal: (key) => String(Number(key)) },
  // SOQL compares and sorts text by its upper-cased value, as the cache's upper(name) collate "C" does.
  name: { field: 'Name', nullsHigh: false, nullKey: undefined, literal: soqlString },
  lastModified: {
    field: 'LastModifiedDate',
    nullsHigh: false,
    nullKey: '-infinity',
    literal: (key) => soqlDateTime(parsePrintedTimestamp(key)),
  },
}

/** Whether NULL sorts above every value (close date) or below (amount, last modified), as in the cache. */
export function nullsHigh(sort: OpportunitySort): boolean {
  return sortFields[sort].nullsHigh
}

/** ORDER BY matching the cache's order, NULLs included, with Id as the tie-breaker. */
export function orderByClause(sort: OpportunitySort, direction: 'asc' | 'desc'): string {
  const spec = sortFields[sort]
  const nullsLast = spec.nullsHigh === (direction === 'asc')
  const dir = direction.toUpperCase()
  return ` ORDER BY ${spec.field} ${dir} NULLS ${nullsLast ? 'LAST' : 'FIRST'}, Id ${dir}`
}

/** Rows strictly after the cursor's row: `(Sort > k OR (Sort = k AND Id > id))`, NULLs placed as in ORDER BY. */
export function afterCursorCondition(cursor: ListCursor<OpportunitySort>): string {
  const spec = sortFields[cursor.sort]
  const op = cursor.direction === 'asc' ? '>' : '<'
  const nullsLast = spec.nullsHigh === (cursor.direction === 'asc')
  const id = soqlId(cursor.id)
  if (cursor.key === spec.nullKey) {
    const sameNull = `(${spec.field} = null AND Id ${op} ${id})`
    return nullsLast ? sameNull : `(${sameNull} OR ${spec.field} != null)`
  }
  const key = spec.literal(cursor.key)
  const after = `${spec.field} ${op} ${key} OR (${spec.field} = ${key} AND Id ${op} ${id})`
  return nullsLast ? `(${after} OR ${spec.field} = null)` : `(${after})`
}

/** The cursor key of a live row, in the format the cache prints it (so cursors stay one opaque format). */
export function cursorKeyOf(
  sort: OpportunitySort,
  row: {
    close_date: string | null
    amount: number | null
    name: string | null
    last_modified_date: Date | null
  },
): string {
  switch (sort) {
    case 'closeDate':
      return row.close_date ?? 'infinity'
    case 'amount':
      return row.amount === null ? '-Infinity' : String(row.amount)
    case 'name':
      return row.name ?? ''
    case 'lastModified':
      return row.last_modified_date ? printTimestamp(row.last_modified_date) : '-infinity'
  }
}

export function soqlDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new AppError('VALIDATION_FAILED', 'Not a valid timestamp.')
  return date.toISOString()
}

/** As PostgreSQL prints a timestamptz in UTC: `2026-11-15 12:00:00.000+00`. */
function printTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '+00')
}

function parsePrintedTimestamp(key: string): Date {
  const iso = key.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')
  return new Date(iso)
}
