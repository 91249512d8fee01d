// SCIM filters (RFC 7644 §3.4.2.2) become SQL conditions. scimmy parses the expression into disjunctive
// normal form (an OR of ANDs, value paths such as emails[type eq "work"].value as nested objects); each
// comparison is then mapped to a column of an attribute this server knows. Attribute names and operators are
// case-insensitive; string values compare case-insensitively unless the attribute is caseExact (RFC 7643 §2.2).
// An attribute that cannot be filtered on, or a malformed expression, is a 400 with scimType invalidFilter.
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { Filter } from 'scimmy/types'

import { scimError, type SCIMError } from './scim-error.js'

export type FilterAttribute =
  | { type: 'string' | 'caseExactString' | 'dateTime'; column: RawBuilder<unknown> }
  | { type: 'boolean'; column: RawBuilder<unknown> }
  /** A value this server has only one of (every email is the work email). */
  | { type: 'constant'; value: string }
  /** Membership: `members eq "<user id>"`. */
  | { type: 'member'; condition: (value: string) => RawBuilder<SqlBool> }

export type FilterAttributes = Record<string, FilterAttribute>

type Comparison = [string, unknown?] | ['not', string, unknown?]

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le'])

export function invalidFilter(detail: string): SCIMError {
  return scimError(400, 'invalidFilter', detail)
}

/** The SQL condition for `filter`, over the attributes given (keys in lower case, dotted for sub-attributes). */
export function filterToSql(filter: string, attributes: FilterAttributes): RawBuilder<SqlBool> {
  if (/\b(and|or|not)\s*$/i.test(filter.trim()))
    throw invalidFilter(`The filter ends with an operator: ${filter}`)
  let parsed: unknown[]
  try {
    parsed = [...new Filter(filter)]
  } catch (err) {
    throw invalidFilter(err instanceof Error ? err.message : `The filter could not be read: ${filter}`)
  }
  const branches = parsed.map((branch) => {
    const conditions = flatten(branch as Record<string, unknown>, '').map(([path, comparison]) =>
      condition(path, comparison, attributes),
    )
    return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`
  })
  if (branches.length === 0) throw invalidFilter(`The filter is empty: ${filter}`)
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`
}

// { emails: { type: [...], value: [...] } } → [['emails.type', [...]], ['emails.value', [...]]]; a repeated
// attribute arrives as a list of comparisons.
function flatten(node: Record<string, unknown>, prefix: string): Array<[string, Comparison]> {
  const out: Array<[string, Comparison]> = []
  for (const [key, value] of Object.entries(node)) {
    const path = `${prefix}${key.toLowerCase()}`
    if (Array.isArray(value) && Array.isArray(value[0])) {
      for (const comparison of value as Comparison[]) out.push([path, comparison])
    } else if (Array.isArray(value)) {
      out.push([path, value as Comparison])
    } else if (value && typeof value === 'object') {
      out.push(...flatten(value as Record<string, unknown>, `${path}.`))
    }
  }
  return out
}

function condition(path: string, comparison: Comparison, attributes: FilterAttributes): RawBuilder<SqlBool> {
  const negated = comparison[0] === 'not'
  const [op, value] = (negated ? comparison.slice(1) : comparison) as [string, unknown?]
  const operator = op.toLowerCase()
  if (!OPERATORS.has(operator)) throw invalidFilter(`Unknown operator "${op}".`)
  if (operator !== 'pr' && value === undefined) throw invalidFilter(`"${path} ${op}" needs a value.`)
  const attribute = attributes[path] ?? attributes[path.replace(/\.value$/, '')]
  if (!attribute) {
    throw invalidFilter(
      `Filtering on "${path}" is not supported. Use one of: ${Object.keys(attributes).join(', ')}.`,
    )
  }
  const compared = compare(attribute, operator, value, path)
  return negated ? sql<SqlBool>`not ${compared}` : compared
}

function compare(attribute: FilterAttribute, op: string, value: unknown, path: string): RawBuilder<SqlBool> {
  switch (attribute.type) {
    case 'constant':
      return constantMatches(attribute.value, op, value) ? sql<SqlBool>`true` : sql<SqlBool>`false`
    case 'member':
      if (op !== 'eq') throw invalidFilter(`"${path}" supports only eq.`)
      return attribute.condition(scalarText(value))
    case 'boolean':
      return compareBoolean(attribute.column, op, value, path)
    case 'dateTime':
      return compareDate(attribute.column, op, value, path)
    case 'string':
    case 'caseExactString':
      return compareString(attribute.column, op, value, attribute.type === 'string')
  }
}

function constantMatches(constant: string, op: string, value: unknown): boolean {
  const text = scalarText(value).toLowerCase()
  const known = constant.toLowerCase()
  if (op === 'pr') return true
  if (op === 'eq') return text === known
  if (op === 'ne') return text !== known
  if (op === 'co') return known.includes(text)
  if (op === 'sw') return known.startsWith(text)
  if (op === 'ew') return known.endsWith(text)
  return false
}

function compareBoolean(column: RawBuilder<unknown>, op: string, value: unknown, path: string) {
  if (op === 'pr') return sql<SqlBool>`${column} is not null`
  const flag =
    typeof value === 'boolean'
      ? value
      : /^(true|false)$/i.test(String(value))
        ? /^true$/i.test(String(value))
        : undefined
  if (flag === undefined) throw invalidFilter(`"${path}" is true or false.`)
  if (op === 'eq') return sql<SqlBool>`${column} = ${flag}`
  if (op === 'ne') return sql<SqlBool>`${column} is distinct from ${flag}`
  throw invalidFilter(`"${path}" supports eq, ne and pr.`)
}

function compareDate(column: RawBuilder<unknown>, op: string, value: unknown, path: string) {
  if (op === 'pr') return sql<SqlBool>`${column} is not null`
  const at = new Date(scalarText(value))
  if (Number.isNaN(at.getTime()))
    throw invalidFilter(`"${path}" compares with a date-time such as 2026-01-31T12:00:00Z.`)
  const sqlOp = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[op]
  if (!sqlOp) throw invalidFilter(`"${path}" supports eq, ne, gt, ge, lt, le and pr.`)
  return sql<SqlBool>`${column} ${sql.raw(sqlOp)} ${at.toISOString()}::timestamptz`
}

function compareString(column: RawBuilder<unknown>, op: string, value: unknown, ignoreCase: boolean) {
  if (op === 'pr') return sql<SqlBool>`(${column} is not null and ${column} <> '')`
  const text = scalarText(value)
  const left = ignoreCase ? sql`lower(${column})` : column
  const right = ignoreCase ? sql`lower(${text})` : sql`${text}`
  const like = ignoreCase ? sql`ilike` : sql`like`
  const escaped = text.replace(/[\\%_]/g, (char) => `\\${char}`)
  switch (op) {
    case 'eq':
      return sql<SqlBool>`${left} = ${right}`
    case 'ne':
      return sql<SqlBool>`${left} is distinct from ${right}`
    case 'co':
      return sql<SqlBool>`${column} ${like} ${`%${escaped}%`}`
    case 'sw':
      return sql<SqlBool>`${column} ${like} ${`${escaped}%`}`
    case 'ew':
      return sql<SqlBool>`${column} ${like} ${`%${escaped}`}`
    default: {
      const sqlOp = { gt: '>', ge: '>=', lt: '<', le: '<=' }[op] ?? '='
      return sql<SqlBool>`${left} ${sql.raw(sqlOp)} ${right}`
    }
  }
}

/** A comparison value as text: filters compare strings, numbers and booleans. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : ''
}
