// One WHERE comparison (field op literal) compiled into a closure. Values are first normalised per field kind
// (strings upper-cased: SOQL compares text case-insensitively, and for English locales orders it by "the UTF-8
// values of the uppercase character" (SOQL and SOSL Reference, ORDER BY,
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm),
// so `<` and `>` must use the same upper-cased order as order.ts or keyset paging skips rows between
// 'Z' and 'a' ([ \ ] ^ _ `); ids cut to their case-sensitive
// 15-character form, dates kept as 'YYYY-MM-DD' which sorts like a date, datetimes as epoch ms), then compared.
// Null semantics: `= null` / `!= null` test emptiness; `!=` matches rows whose field is null (SOQL, unlike SQL,
// treats null as a value there) while NOT IN excludes them — both as described by practitioners (e.g. sfdcdevelopers.com
// "SOQL NOT IN, NOT EQUAL & NOT LIKE"), UNCONFIRMED in Salesforce's reference; <, <=, >, >=, LIKE never match null.

import type { LiteralType, Operator } from '@jetstreamapp/soql-parser-js'
import type { FieldType, SfRecord, SfValue } from '../org/model.js'
import { canonicalId15 } from '../org/ids.js'
import { SoqlError, unsupported } from './errors.js'
import type { ResolvedField } from './fields.js'
import {
  isoDate,
  parseDateLiteral,
  parseDatetimeLiteral,
  resolveDateLiteral,
  unquoteString,
} from './literals.js'

export type Kind = 'string' | 'id' | 'number' | 'boolean' | 'date' | 'datetime'
type Norm = string | number | boolean | null
type Range = { start: string | number; end: string | number }
type Operand = Norm | Range

export function kindOf(type: FieldType): Kind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id'
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'datetime':
      return 'datetime'
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'url':
      return 'string'
  }
}

/** Maps a stored value to the comparable form for its kind. */
export function normaliser(kind: Kind): (v: SfValue) => Norm {
  switch (kind) {
    case 'string':
      return (v) => (typeof v === 'string' ? v.toUpperCase() : null)
    case 'id':
      return (v) => (typeof v === 'string' ? v.slice(0, 15) : null)
    case 'number':
    case 'datetime':
      return (v) => (typeof v === 'number' ? v : null)
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : null)
    case 'date':
      return (v) => (typeof v === 'string' ? v : null)
  }
}

export interface ComparisonSpec {
  resolved: ResolvedField
  operator: Operator | '<>'
  values: string | string[]
  literalTypes: LiteralType | LiteralType[] | undefined
  nValues: number | number[] | undefined
  now: number
}

export function compileComparison(spec: ComparisonSpec): (rec: SfRecord) => boolean {
  const { resolved } = spec
  const kind = kindOf(resolved.field.type)
  const norm = normaliser(kind)
  const get = resolved.get
  const read = (rec: SfRecord): Norm => norm(get(rec))
  const op = spec.operator
  const list = Array.isArray(spec.values) ? spec.values : [spec.values]
  const lt = spec.literalTypes
  const types: (LiteralType | undefined)[] = Array.isArray(lt) ? lt : list.map(() => lt)
  const nv = spec.nValues
  const ns: (number | undefined)[] = Array.isArray(nv) ? nv : list.map(() => nv)
  const isLike = op === 'LIKE'
  const operands = list.map((raw, i) => toOperand(raw, types[i], ns[i], kind, resolved, spec.now, isLike))

  if (op === 'IN' || op === 'NOT IN') {
    const hasNull = operands.includes(null)
    const scalars = new Set(
      operands.filter((o): o is string | number | boolean => o !== null && typeof o !== 'object'),
    )
    const ranges = operands.filter((o): o is Range => o !== null && typeof o === 'object')
    const inList = (v: Norm): boolean => {
      if (v === null) return hasNull
      if (scalars.has(v)) return true
      for (const r of ranges) if (v >= r.start && v < r.end) return true
      return false
    }
    if (op === 'IN') return (rec) => inList(read(rec))
    return (rec) => {
      const v = read(rec)
      return v !== null && !inList(v)
    }
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    throw new SoqlError(
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on non-multipicklist field: ${resolved.path}`,
    )
  }
  if (operands.length !== 1) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '('`)
  const lit = operands[0] as Operand

  if (isLike) {
    if (kind !== 'string' && kind !== 'id') {
      throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid operator on field: ${resolved.path}`)
    }
    if (typeof lit !== 'string') throw new SoqlError('MALFORMED_QUERY', 'LIKE requires a string value')
    const re = likeToRegExp(lit)
    return (rec) => {
      const v = get(rec)
      return typeof v === 'string' && re.test(v)
    }
  }

  if (lit !== null && typeof lit === 'object') return rangeOp(op, lit, read)
  if (lit === null) {
    if (op === '=') return (rec) => read(rec) === null
    if (op === '!=' || op === '<>') return (rec) => read(rec) !== null
    throw new SoqlError(
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on null value for field: ${resolved.path}`,
    )
  }
  if (kind === 'boolean' && op !== '=' && op !== '!=' && op !== '<>') {
    throw new SoqlError(
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on boolean field: ${resolved.path}`,
    )
  }
  switch (op) {
    case '=':
      return (rec) => read(rec) === lit
    case '!=':
    case '<>':
      return (rec) => read(rec) !== lit
    case '<':
      return (rec) => {
        const v = read(rec)
        return v !== null && v < lit
      }
    case '<=':
      return (rec) => {
        const v = read(rec)
        return v !== null && v <= lit
      }
    case '>':
      return (rec) => {
        const v = read(rec)
        return v !== null && v > lit
      }
    case '>=':
      return (rec) => {
        const v = read(rec)
        return v !== null && v >= lit
      }
  }
}

/** A relative date literal (TODAY, LAST_N_DAYS:7) is a range: = means inside it, < before it, > after it. */
function rangeOp(op: Operator | '<>', r: Range, read: (rec: SfRecord) => Norm): (rec: SfRecord) => boolean {
  const inside = (v: Norm): boolean => v !== null && v >= r.start && v < r.end
  switch (op) {
    case '=':
      return (rec) => inside(read(rec))
    case '!=':
    case '<>':
      return (rec) => !inside(read(rec))
    case '<':
      return (rec) => {
        const v = read(rec)
        return v !== null && v < r.start
      }
    case '<=':
      return (rec) => {
        const v = read(rec)
        return v !== null && v < r.end
      }
    case '>':
      return (rec) => {
        const v = read(rec)
        return v !== null && v >= r.end
      }
    case '>=':
      return (rec) => {
        const v = read(rec)
        return v !== null && v >= r.start
      }
    case 'LIKE':
    case 'IN':
    case 'NOT IN':
    case 'INCLUDES':
    case 'EXCLUDES':
      throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid operator ${op} with a date literal`)
  }
}

/** Wrong literal type for the field, e.g. a quoted value on a date field. Wording UNCONFIRMED; code as commonly reported. */
function typeMismatch(resolved: ResolvedField, expected: string, quoted: boolean): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `value of filter criterion for field '${resolved.path}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
  )
}

function toOperand(
  raw: string,
  type: LiteralType | undefined,
  n: number | undefined,
  kind: Kind,
  resolved: ResolvedField,
  now: number,
  isLike: boolean,
): Operand {
  if (type === 'NULL') return null
  if (type === 'APEX_BIND_VARIABLE') throw new SoqlError('MALFORMED_QUERY', `unexpected token: ':'`)
  if (type === 'INTEGER_WITH_CURRENCY_PREFIX' || type === 'DECIMAL_WITH_CURRENCY_PREFIX') {
    throw unsupported('A currency-prefixed value (multi-currency)')
  }
  switch (kind) {
    case 'string':
    case 'id': {
      if (type !== 'STRING') throw typeMismatch(resolved, kind === 'id' ? 'id' : 'string', true)
      const s = unquoteString(raw, isLike)
      if (isLike) return s
      if (kind === 'string') return s.toUpperCase()
      // 18-character ids in any case, 15-character ones as written (org/ids.ts canonicalId15).
      const id15 = canonicalId15(s)
      if (id15 === undefined) {
        // Salesforce rejects malformed ids in filters (message as commonly reported, UNCONFIRMED).
        throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${s}`)
      }
      return id15
    }
    case 'number':
      if (type !== 'INTEGER' && type !== 'DECIMAL') throw typeMismatch(resolved, 'double', false)
      return Number(raw)
    case 'boolean':
      if (type !== 'BOOLEAN') throw typeMismatch(resolved, 'boolean', false)
      return raw.toLowerCase() === 'true'
    case 'date':
    case 'datetime': {
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
        const r = resolveDateLiteral(raw, n, now)
        return kind === 'date' ? { start: isoDate(r.start), end: isoDate(r.end) } : r
      }
      if (kind === 'date' && type === 'DATE') return parseDateLiteral(raw)
      if (kind === 'datetime' && type === 'DATETIME') return parseDatetimeLiteral(raw)
      throw typeMismatch(resolved, kind === 'date' ? 'date' : 'dateTime', false)
    }
  }
}

/** LIKE pattern → anchored, case-insensitive RegExp; % any run, _ one character, \% and \_ literal. */
export function likeToRegExp(pattern: string): RegExp {
  let src = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '\\' && i + 1 < pattern.length) {
      src += escapeRe(pattern[++i] as string)
    } else if (ch === '%') src += '.*'
    else if (ch === '_') src += '.'
    else src += escapeRe(ch)
  }
  return new RegExp(`^${src}$`, 'is')
}

function escapeRe(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch
}
