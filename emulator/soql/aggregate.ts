// Aggregate queries: COUNT(field) and SUM(field), optionally with GROUP BY on plain fields. Results are
// AggregateResult records, one per group (one in all without GROUP BY), with the group fields under their
// names and each aggregate under its alias, or expr0, expr1, … in SELECT order for those without one
// (SOQL and SOSL Reference, "Aggregate Functions" and "Using Aliases with GROUP BY"; SOAP API Developer
// Guide, "AggregateResult"). In REST JSON each record is `{"attributes":{"type":"AggregateResult"}, …}`.
// GROUP BY … LIMIT n keeps the first n groups; LIMIT without GROUP BY is refused, as is GROUP BY on a field describe
// marks not groupable (org/field-traits.ts). Everything else (AVG, MIN, MAX, COUNT_DISTINCT, HAVING, ORDER BY with
// aggregates, grouping by a parent path) fails loudly as unsupported; a SUM over anything but a number is INVALID_FIELD.
// In a multi-currency org a SUM of a currency field is in the corporate currency: "If a query includes a GROUP BY or
// HAVING clause, any currency data returned by using an aggregate function, such as SUM() or MAX(), is in the org's
// default currency" ("convertCurrency()", Considerations,
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm).
// The docs are silent on an aggregate without GROUP BY; the emulator converts there too, since a sum over mixed
// currencies has no other meaning. Each value is converted with its record's rate (currencies.ts) and the sum is
// rounded once to the corporate currency's DecimalPlaces (rounding undocumented).
import type { FieldType as AstField, Query } from '@jetstreamapp/soql-parser-js'

import type { SfRecord, SfValue } from '../org/model.js'
import { isGroupable } from '../org/field-traits.js'
import { SoqlError, keywordIndex, locate, unsupported, withPosition } from './errors.js'
import { compileParentGetter, resolveField, type ResolveContext, type ResolvedField } from './fields.js'
import { currencyOf, currencyRates, roundTo, toCorporate } from '../org/currencies.js'

type Item =
  | { kind: 'group'; name: string; field: ResolvedField }
  | { kind: 'count'; name: string; field: ResolvedField }
  | { kind: 'sum'; name: string; field: ResolvedField; toCorporate?: Conversion }

/** A currency value of a row in the corporate currency, unrounded; `decimals` is the corporate currency's. */
interface Conversion {
  convert: (row: SfRecord, value: number) => number
  decimals: number
}

export interface AggregatePlan {
  items: Item[]
  groupBy: ResolvedField[]
  /** LIMIT on the groups (allowed with GROUP BY only). */
  limit: number | undefined
}

const NUMERIC = new Set(['currency', 'double', 'percent', 'int'])

/** True for a SELECT that needs an AggregatePlan (an aggregate other than bare COUNT(), or GROUP BY). */
export function isAggregateQuery(ast: Query): boolean {
  const fields = ast.fields ?? []
  return (
    ast.groupBy !== undefined ||
    fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn && f.parameters.length > 0)
  )
}

export function compileAggregate(ast: Query, ctx: ResolveContext): AggregatePlan {
  if (ast.having) throw unsupported('HAVING')
  if (ast.orderBy || ast.offset !== undefined) throw unsupported('ORDER BY or OFFSET in an aggregate query')
  // "You must use a GROUP BY clause if your query has a LIMIT clause and an aggregated function" (Considerations
  // for GROUP BY, sforce_api_calls_soql_select_group_by_considerations.htm); the error code is undocumented,
  // so MALFORMED_QUERY, wording the emulator's own.
  if (ast.limit !== undefined && !ast.groupBy)
    throw new SoqlError('MALFORMED_QUERY', 'An aggregate query with LIMIT requires GROUP BY')
  const selectAt = Math.max(0, keywordIndex(ctx.soql, 'SELECT'))
  const groupAt = Math.max(0, keywordIndex(ctx.soql, 'GROUP'))
  const groupBy = (Array.isArray(ast.groupBy) ? ast.groupBy : ast.groupBy ? [ast.groupBy] : []).map((g) => {
    if (!('field' in g) || typeof g.field !== 'string' || g.field.includes('.'))
      throw unsupported('GROUP BY on anything but a field of the object')
    const field = resolveField(g.field, ctx, groupAt)
    if (!isGroupable(field.field)) {
      // Describe says groupable false (same page); code and wording as commonly reported (UNCONFIRMED).
      throw new SoqlError(
        'INVALID_FIELD',
        withPosition(
          ctx.soql,
          locate(ctx.soql, g.field, groupAt),
          `field '${field.path}' can not be grouped in a query call`,
        ),
      )
    }
    return field
  })
  let unnamed = 0
  const items = (ast.fields ?? []).map((f: AstField): Item => {
    if (f.type === 'Field') {
      const field = resolveField(f.field, ctx, selectAt)
      if (!groupBy.some((g) => g.path === field.path)) {
        // Salesforce's wording as commonly reported (UNCONFIRMED).
        throw new SoqlError('MALFORMED_QUERY', `field '${field.path}' can not be grouped in a query call`)
      }
      return { kind: 'group', name: field.field.name, field }
    }
    if (f.type !== 'FieldFunctionExpression' || !f.isAggregateFn)
      throw unsupported('This SELECT item with GROUP BY')
    const fn = f.functionName.toUpperCase()
    const param = f.parameters[0]
    if ((fn !== 'COUNT' && fn !== 'SUM') || f.parameters.length !== 1 || typeof param !== 'string')
      throw unsupported(`The aggregate function ${f.rawValue ?? fn}`)
    const field = resolveField(param, ctx, selectAt)
    if (fn === 'SUM' && !NUMERIC.has(field.field.type)) {
      throw new SoqlError('INVALID_FIELD', `field ${field.path} does not support aggregate operator SUM`)
    }
    const name = f.alias ?? `expr${unnamed++}`
    if (fn === 'COUNT') return { kind: 'count', name, field }
    const toCorporate = corporateConversion(field, ctx)
    return toCorporate ? { kind: 'sum', name, field, toCorporate } : { kind: 'sum', name, field }
  })
  return { items, groupBy, limit: ast.limit }
}

function corporateConversion(field: ResolvedField, ctx: ResolveContext): Conversion | undefined {
  const rates = field.field.type === 'currency' ? currencyRates(ctx.ds) : undefined
  if (!rates) return undefined
  const ownerOf = compileParentGetter(ctx.ds, field.hops)
  return {
    convert: (row, value) => toCorporate(value, currencyOf(ownerOf(row)), rates),
    decimals: rates.corporateDecimals,
  }
}

/** AggregateResult rows of the matching records, groups in order of first appearance. */
export function runAggregate(plan: AggregatePlan, rows: readonly SfRecord[]): Array<Record<string, SfValue>> {
  const groups = new Map<string, SfRecord[]>()
  for (const row of rows) {
    const key = JSON.stringify(plan.groupBy.map((field) => field.get(row)))
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  // Without GROUP BY there is always exactly one result row, even over no records (COUNT 0, SUM null).
  if (plan.groupBy.length === 0 && groups.size === 0) groups.set('[]', [])
  const kept = [...groups.values()].slice(0, plan.limit)
  return kept.map((members) => {
    const result: Record<string, SfValue> = {}
    for (const item of plan.items) result[item.name] = aggregateValue(item, members)
    return result
  })
}

function aggregateValue(item: Item, members: SfRecord[]): SfValue {
  const values = members.map((row) => item.field.get(row))
  if (item.kind === 'group') return values[0] ?? null
  const present = values.filter((value) => value !== null && value !== undefined)
  if (item.kind === 'count') return present.length
  if (present.length === 0) return null
  const conversion = item.toCorporate
  if (conversion) {
    let total = 0
    members.forEach((row, index) => {
      const value = values[index]
      if (typeof value === 'number') total += conversion.convert(row, value)
    })
    return roundTo(total, conversion.decimals)
  }
  // Cents as integers, so sums of currency amounts do not drift.
  return present.reduce<number>((total, value) => total + Math.round(Number(value) * 100), 0) / 100
}

/** The REST response of an aggregate query: every group in one page. */
export function writeAggregatePage(rows: Array<Record<string, SfValue>>): Buffer {
  const records = rows.map((row) => ({ attributes: { type: 'AggregateResult' }, ...row }))
  return Buffer.from(JSON.stringify({ totalSize: records.length, done: true, records }))
}
