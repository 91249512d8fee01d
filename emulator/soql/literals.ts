// Parsing of SOQL literal values into the compact forms records are stored in (see emulator/org/model.ts):
// strings, numbers, booleans, dates as 'YYYY-MM-DD', datetimes as epoch milliseconds.
// Sources: SOQL and SOSL Reference, "Quoted String Escape Sequences" and "Date Formats and Date Literals"
// (sforce_api_calls_soql_select_dateformats.htm).

import { SoqlError } from './errors.js'

const DAY_MS = 86_400_000

/**
 * Unquotes a SOQL string literal ('...') and resolves its escapes: \n \r \t \b \f \" \' \\ (any case of the letter).
 * In LIKE patterns \% and \_ stand for literal % and _; they are kept as escapes (a backslash before the
 * character) so the LIKE compiler can tell them from wildcards. Any other backslash sequence is an error, as in Salesforce.
 */
export function unquoteString(raw: string, keepLikeEscapes: boolean): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = body[++i]
    switch (next) {
      case 'n':
      case 'N':
        out += '\n'
        break
      case 'r':
      case 'R':
        out += '\r'
        break
      case 't':
      case 'T':
        out += '\t'
        break
      case 'b':
      case 'B':
        out += '\b'
        break
      case 'f':
      case 'F':
        out += '\f'
        break
      case '"':
      case "'":
      case '\\':
        out += keepLikeEscapes && next === '\\' ? '\\\\' : next
        break
      case '%':
      case '_':
        out += keepLikeEscapes ? `\\${next}` : next
        break
      case undefined:
      default:
        // Salesforce rejects unknown escapes in string literals (exact wording UNCONFIRMED).
        throw new SoqlError(
          'MALFORMED_QUERY',
          `Invalid string literal '${raw}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
        )
    }
  }
  return out
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/i

/** Validates a date literal (YYYY-MM-DD) and returns it unchanged: stored dates use the same form. */
export function parseDateLiteral(raw: string): string {
  const m = DATE_RE.exec(raw)
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new SoqlError('MALFORMED_QUERY', `line 1:0 no viable alternative at character '${raw}'`)
  }
  return raw
}

/** Datetime literal (2024-01-31T12:00:00Z, with .sss and ±hh:mm allowed) → epoch milliseconds (UTC). */
export function parseDatetimeLiteral(raw: string): number {
  const m = DATETIME_RE.exec(raw)
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new SoqlError('MALFORMED_QUERY', `line 1:0 no viable alternative at character '${raw}'`)
  }
  const millis = m[7] ? Number(m[7].slice(1).padEnd(3, '0')) : 0
  let ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    millis,
  )
  const zone = (m[8] as string).toUpperCase()
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000
  }
  return ms
}

function isValidDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

/** Half-open time range [start, end) in epoch ms that a relative date literal stands for. */
export interface DateRange {
  start: number
  end: number
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'

/**
 * Resolves TODAY, LAST_N_DAYS:n, THIS_QUARTER, ... against the org clock. The emulator evaluates in UTC and with
 * weeks starting on Sunday (en_US); real orgs use the user's time zone and locale. Fiscal literals assume the
 * default fiscal year, which starts in January, so they equal the calendar ones (UNCONFIRMED for custom fiscal years).
 * Ranges follow the date-literal table of sforce_api_calls_soql_select_dateformats.htm:
 * LAST_N_DAYS:n includes today and the n days before; NEXT_N_DAYS:n starts tomorrow; LAST_N_<unit>:n ends where
 * the current unit starts; NEXT_N_<unit>:n starts with the next unit; N_<unit>_AGO:n is one whole unit.
 */
export function resolveDateLiteral(literal: string, n: number | undefined, now: number): DateRange {
  const name = literal.toUpperCase().replace(/:.*$/, '').replace('_FISCAL', '')
  const fixed: Record<string, [Unit, number, number]> = {
    YESTERDAY: ['DAY', -1, 1],
    TODAY: ['DAY', 0, 1],
    TOMORROW: ['DAY', 1, 1],
    LAST_WEEK: ['WEEK', -1, 1],
    THIS_WEEK: ['WEEK', 0, 1],
    NEXT_WEEK: ['WEEK', 1, 1],
    LAST_MONTH: ['MONTH', -1, 1],
    THIS_MONTH: ['MONTH', 0, 1],
    NEXT_MONTH: ['MONTH', 1, 1],
    LAST_QUARTER: ['QUARTER', -1, 1],
    THIS_QUARTER: ['QUARTER', 0, 1],
    NEXT_QUARTER: ['QUARTER', 1, 1],
    LAST_YEAR: ['YEAR', -1, 1],
    THIS_YEAR: ['YEAR', 0, 1],
    NEXT_YEAR: ['YEAR', 1, 1],
  }
  const hit = fixed[name]
  if (hit) return span(now, hit[0], hit[1], hit[2])
  if (name === 'LAST_90_DAYS') return span(now, 'DAY', -90, 91)
  if (name === 'NEXT_90_DAYS') return span(now, 'DAY', 1, 90)
  const m = /^(LAST_N|NEXT_N|N)_(DAY|WEEK|MONTH|QUARTER|YEAR)S(_AGO)?$/.exec(name)
  if (!m || n === undefined || !Number.isInteger(n) || n < 0) {
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${literal}'`)
  }
  const unit = m[2] as Unit
  if (m[1] === 'N' && m[3]) return span(now, unit, -n, 1)
  if (m[1] === 'NEXT_N') return span(now, unit, 1, n)
  if (m[1] === 'LAST_N' && !m[3]) return unit === 'DAY' ? span(now, 'DAY', -n, n + 1) : span(now, unit, -n, n)
  throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${literal}'`)
}

/** The range of `count` units starting `offset` units from the start of the current unit. */
function span(now: number, unit: Unit, offset: number, count: number): DateRange {
  const base = unitStart(now, unit)
  return { start: addUnits(base, unit, offset), end: addUnits(base, unit, offset + count) }
}

function unitStart(now: number, unit: Unit): number {
  const d = new Date(now)
  const y = d.getUTCFullYear()
  const mo = d.getUTCMonth()
  const day = Date.UTC(y, mo, d.getUTCDate())
  switch (unit) {
    case 'DAY':
      return day
    case 'WEEK':
      return day - d.getUTCDay() * DAY_MS
    case 'MONTH':
      return Date.UTC(y, mo, 1)
    case 'QUARTER':
      return Date.UTC(y, mo - (mo % 3), 1)
    case 'YEAR':
      return Date.UTC(y, 0, 1)
  }
}

function addUnits(ms: number, unit: Unit, k: number): number {
  if (unit === 'DAY') return ms + k * DAY_MS
  if (unit === 'WEEK') return ms + k * 7 * DAY_MS
  const d = new Date(ms)
  const months = unit === 'MONTH' ? k : unit === 'QUARTER' ? 3 * k : 12 * k
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)
}

/** Epoch ms → 'YYYY-MM-DD' (UTC), for comparing date fields against a literal's range. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
