// CSV for Bulk API 2.0 query results (query_get_job_results.htm): a header row with the requested columns in
// order (API 50.0+; parent fields as dotted names such as `Account.Name`), then one line per record.
// The documented sample quotes every header and value ("Id","Name"); quotes inside values are doubled (RFC 4180).
// UNCONFIRMED (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm shows none of these cases): null written as an empty unquoted field, datetimes as 2024-01-31T12:00:00.000Z,
// booleans true/false, dates YYYY-MM-DD.

import type { SfRecord, SfValue } from '../org/model.js'
import type { ResolvedField } from './fields.js'

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB'
export type LineEnding = 'LF' | 'CRLF'

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
}

export interface CsvWriter {
  header: string
  row: (rec: SfRecord) => string
}

export function compileCsvWriter(
  columns: ResolvedField[],
  delimiter: ColumnDelimiter,
  lineEnding: LineEnding,
): CsvWriter {
  const sep = DELIMITERS[delimiter]
  const eol = lineEnding === 'CRLF' ? '\r\n' : '\n'
  const header = columns.map((c) => quote(c.path)).join(sep) + eol
  const cells = columns.map((c) => {
    const format = cellFormatter(c.field.type)
    const get = c.get
    return (rec: SfRecord) => format(get(rec))
  })
  return {
    header,
    row: (rec) => {
      let s = ''
      for (let i = 0; i < cells.length; i++) {
        if (i > 0) s += sep
        s += (cells[i] as (r: SfRecord) => string)(rec)
      }
      return s + eol
    },
  }
}

function cellFormatter(type: string): (v: SfValue) => string {
  if (type === 'datetime')
    return (v) => (typeof v === 'number' ? quote(new Date(v).toISOString()) : toCell(v))
  return toCell
}

function toCell(v: SfValue): string {
  if (v === null) return ''
  return quote(typeof v === 'string' ? v : String(v))
}

function quote(s: string): string {
  return `"${s.includes('"') ? s.replace(/"/g, '""') : s}"`
}
