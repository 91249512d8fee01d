// ORDER BY: sort keys are computed once per row (not inside the comparator) and an index array is sorted.
// Source: SOQL reference "ORDER BY" (sforce_api_calls_soql_select_orderby.htm): ascending by default; sorting is
// case-insensitive (English locale compares upper-cased UTF-8 values; WHERE's < and > use the same order, compare.ts);
// "By default, null values are sorted first". JavaScript compares UTF-16 code units, which matches UTF-8 byte
// order except for characters above U+FFFF against U+E000–U+FFFF (not handled).
// The emulator treats null as the smallest value, so ASC puts nulls first and DESC puts them last unless NULLS FIRST /
// NULLS LAST says otherwise — the DESC default is UNCONFIRMED (the docs do not say per direction).

import type { OrderByClause } from '@jetstreamapp/soql-parser-js'
import type { SfRecord, SfValue } from '../org/model.js'
import { SoqlError, locate, unsupported, withPosition } from './errors.js'
import { kindOf } from './compare.js'
import { resolveField, type ResolveContext, type ResolvedField } from './fields.js'

export interface OrderSpec {
  resolved: ResolvedField
  desc: boolean
  nullsFirst: boolean
  key: (v: SfValue) => string | number | null
}

export function compileOrder(
  orderBy: OrderByClause | OrderByClause[],
  ctx: ResolveContext,
  orderAt: number,
): OrderSpec[] {
  const clauses = Array.isArray(orderBy) ? orderBy : [orderBy]
  return clauses.map((clause) => {
    if (!('field' in clause)) throw unsupported('ORDER BY on a function')
    const resolved = resolveField(clause.field, ctx, orderAt)
    if (!resolved.field.sortable) {
      // Long text areas cannot be sorted (same reference page); wording UNCONFIRMED.
      throw new SoqlError(
        'INVALID_FIELD',
        withPosition(
          ctx.soql,
          locate(ctx.soql, clause.field, orderAt),
          `field '${resolved.path}' can not be sorted in a query call`,
        ),
      )
    }
    const desc = clause.order === 'DESC'
    const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !desc
    return { resolved, desc, nullsFirst, key: sortKey(resolved) }
  })
}

function sortKey(resolved: ResolvedField): (v: SfValue) => string | number | null {
  switch (kindOf(resolved.field.type)) {
    case 'string':
      return (v) => (typeof v === 'string' ? v.toUpperCase() : null)
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : null)
    case 'id':
    case 'date':
      return (v) => (typeof v === 'string' ? v : null)
    case 'number':
    case 'datetime':
      return (v) => (typeof v === 'number' ? v : null)
  }
}

/** Returns the rows in ORDER BY order; ties keep their original (insertion) order. */
export function sortRecords(rows: SfRecord[], specs: OrderSpec[]): SfRecord[] {
  if (specs.length === 0 || rows.length < 2) return rows
  const n = rows.length
  const keys = specs.map((s) => {
    const col = new Array<string | number | null>(n)
    for (let i = 0; i < n; i++) col[i] = s.key(s.resolved.get(rows[i] as SfRecord))
    return col
  })
  const index = new Array<number>(n)
  for (let i = 0; i < n; i++) index[i] = i
  index.sort((a, b) => {
    for (let k = 0; k < specs.length; k++) {
      const col = keys[k] as (string | number | null)[]
      const x = col[a] as string | number | null
      const y = col[b] as string | number | null
      if (x === y) continue
      const spec = specs[k] as OrderSpec
      if (x === null) return spec.nullsFirst ? -1 : 1
      if (y === null) return spec.nullsFirst ? 1 : -1
      const c = x < y ? -1 : 1
      return spec.desc ? -c : c
    }
    return a - b
  })
  const out = new Array<SfRecord>(n)
  for (let i = 0; i < n; i++) out[i] = rows[index[i] as number] as SfRecord
  return out
}
