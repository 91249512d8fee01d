// Turns SOQL text into a CompiledQuery: parsed once, validated against describe, with closures for WHERE and
// ORDER BY. Everything valid in SOQL that the emulator does not implement fails loudly here (see unsupported()).

import { parseQuery, type FieldType as AstField, type Query } from '@jetstreamapp/soql-parser-js'
import type { ObjectDef, SoqlDataSource } from '../org/model.js'
import type { RecentUse } from '../org/recently-viewed.js'
import { compileConvertCurrency, isConvertCurrency } from './convert-currency.js'
import { compileAggregate, isAggregateQuery, type AggregatePlan } from './aggregate.js'
import { SoqlError, keywordIndex, unsupported } from './errors.js'
import { resolveField, resolveObject, type ResolveContext, type ResolvedField } from './fields.js'
import { compileOrder, type OrderSpec } from './order.js'
import { compileSubquery, type ChildQuery } from './subquery.js'
import { compileWhere, type Predicate } from './where.js'

/** Salesforce caps OFFSET at 2,000 (SOQL reference, "OFFSET"). */
export const MAX_OFFSET = 2000

export interface CompiledQuery {
  soql: string
  object: ObjectDef
  /** SELECT list in order; empty for `SELECT COUNT()`. */
  columns: ResolvedField[]
  /** Parent-to-child subqueries in the SELECT list (subquery.ts). */
  children: ChildQuery[]
  isCount: boolean
  /** Set for aggregate queries (SUM, COUNT(field), GROUP BY): see aggregate.ts. */
  aggregate: AggregatePlan | undefined
  where: Predicate | undefined
  order: OrderSpec[]
  limit: number | undefined
  offset: number | undefined
  /** FOR VIEW / FOR REFERENCE: the retrieved records are marked viewed or referenced (recently-viewed.ts). */
  use: RecentUse | undefined
}

export function compileQuery(soql: string, ds: SoqlDataSource): CompiledQuery {
  const ast = parse(soql)
  rejectUnsupportedClauses(ast)
  if (!ast.sObject) throw new SoqlError('MALFORMED_QUERY', 'unexpected token: <EOF>')
  const object = resolveObject(ds, soql, ast.sObject)
  const ctx: ResolveContext = { ds, soql, root: object, alias: ast.sObjectAlias }

  const fields = ast.fields ?? []
  const isCount = fields.some((f) => f.type === 'FieldFunctionExpression' && isBareCount(f))
  if (isCount && fields.length > 1) {
    // Salesforce refuses COUNT() next to other fields; exact wording UNCONFIRMED.
    throw new SoqlError('MALFORMED_QUERY', 'COUNT() cannot be combined with other fields in the SELECT list')
  }
  if (isCount && ast.orderBy) {
    // Salesforce refuses ORDER BY with COUNT() (an ordered field must be grouped or aggregated); the code is
    // undocumented, so MALFORMED_QUERY (errorcodes.htm), wording as commonly reported (UNCONFIRMED).
    const first = Array.isArray(ast.orderBy) ? ast.orderBy[0] : ast.orderBy
    const name = first && 'field' in first ? (first.field ?? '') : ''
    throw new SoqlError('MALFORMED_QUERY', `Ordered field must be grouped or aggregated: ${name}`)
  }
  const aggregate = isAggregateQuery(ast) ? compileAggregate(ast, ctx) : undefined
  const { columns, children } =
    isCount || aggregate ? { columns: [], children: [] } : resolveSelectList(fields, ctx)

  const where = ast.where ? compileWhere(ast.where, ctx, Math.max(0, keywordIndex(soql, 'WHERE'))) : undefined
  const order = ast.orderBy ? compileOrder(ast.orderBy, ctx, Math.max(0, keywordIndex(soql, 'ORDER'))) : []
  if (ast.offset !== undefined && ast.offset > MAX_OFFSET) {
    // Error code and text as commonly reported for OFFSET > 2000 (UNCONFIRMED: the SOQL reference,
    // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_offset.htm,
    // gives the 2,000 maximum but not the error).
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`)
  }
  return {
    soql,
    object,
    columns,
    children,
    isCount,
    aggregate,
    where,
    order,
    limit: ast.limit,
    offset: ast.offset,
    use: ast.for === 'VIEW' || ast.for === 'REFERENCE' ? ast.for : undefined,
  }
}

function parse(soql: string): Query {
  try {
    return parseQuery(soql)
  } catch (err) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      parseErrorMessage(err instanceof Error ? err.message : String(err)),
    )
  }
}

/**
 * Salesforce reports parse errors as "unexpected token: 'X'" (errorcodes.htm example `unexpected token: 'FRM'`).
 * The parser's messages name the offending token in a few shapes; an empty one means the text ended early.
 */
export function parseErrorMessage(message: string): string {
  const found =
    /but found:? (?:--> )?'([^']*)'/.exec(message) ?? /unexpected character: ->(.)<-/.exec(message)
  const token = found?.[1] ?? ''
  return token === '' ? 'unexpected token: <EOF>' : `unexpected token: '${token}'`
}

function isBareCount(f: AstField): boolean {
  return (
    f.type === 'FieldFunctionExpression' &&
    f.functionName.toUpperCase() === 'COUNT' &&
    f.parameters.length === 0
  )
}

function rejectUnsupportedClauses(ast: Query): void {
  if (ast.having) throw unsupported('HAVING')
  // FOR VIEW and FOR REFERENCE are API clauses; FOR UPDATE locks records inside Apex transactions, which the
  // emulator has none of (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_for_update.htm).
  if (ast.for === 'UPDATE') throw unsupported('FOR UPDATE')
  if (ast.update) throw unsupported(`UPDATE ${ast.update}`)
  if (ast.withDataCategory) throw unsupported('WITH DATA CATEGORY')
  if (ast.usingScope) throw unsupported('USING SCOPE')
  // WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE are accepted: hidden fields already fail with INVALID_FIELD.
}

function resolveSelectList(
  fields: AstField[],
  ctx: ResolveContext,
): { columns: ResolvedField[]; children: ChildQuery[] } {
  const selectAt = Math.max(0, keywordIndex(ctx.soql, 'SELECT'))
  const seen = new Set<string>()
  const columns: ResolvedField[] = []
  const children: ChildQuery[] = []
  const addColumn = (resolved: ResolvedField) => {
    const key = resolved.path.toLowerCase()
    if (seen.has(key)) {
      // Salesforce rejects repeated fields; code and wording as commonly reported (UNCONFIRMED). An unaliased
      // convertCurrency(Amount) is named Amount, so it repeats a plain Amount too.
      throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${resolved.path}`)
    }
    seen.add(key)
    columns.push(resolved)
  }
  for (const f of fields) {
    let raw: string
    switch (f.type) {
      case 'Field':
        raw = f.field
        break
      case 'FieldRelationship':
        raw = [...f.relationships, f.field].join('.')
        break
      case 'FieldFunctionExpression': {
        const name = f.functionName.toUpperCase()
        if (name === 'FIELDS') throw unsupported('FIELDS()')
        if (isConvertCurrency(name)) {
          const converted = compileConvertCurrency(f, ctx, selectAt)
          addColumn(converted)
          continue
        }
        if (f.isAggregateFn) throw unsupported(`The aggregate function ${f.rawValue ?? name}`)
        throw unsupported(`The function ${f.rawValue ?? name}`)
      }
      case 'FieldSubquery': {
        const child = compileSubquery(f.subquery, ctx, columns.length)
        if (seen.has(child.relationshipName.toLowerCase())) {
          throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${child.relationshipName}`)
        }
        seen.add(child.relationshipName.toLowerCase())
        children.push(child)
        continue
      }
      case 'FieldTypeof':
        throw unsupported('TYPEOF')
    }
    addColumn(resolveField(raw, ctx, selectAt))
  }
  return { columns, children }
}
