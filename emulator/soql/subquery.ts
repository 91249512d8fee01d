// Parent-to-child relationship subqueries: `SELECT Id, (SELECT Id, UserId FROM OpportunityTeamMembers) FROM
// Opportunity` (SOQL and SOSL Reference, "Using Relationship Queries",
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm).
// The FROM of a subquery names a child relationship of the outer object (describe's childRelationships,
// org/child-relationships.ts). Each outer record carries the children under the relationship name as a nested query
// result `{totalSize, done, records}`, or null when it has none (REST API, "Execute a SOQL Query",
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm, relationship-query
// example). WHERE, ORDER BY and LIMIT apply per parent. The emulator answers every child in one nested result
// (done true, no child nextRecordsUrl; Salesforce may page large child sets — not emulated) and leaves deleted
// children out also under queryAll (UNCONFIRMED what Salesforce does there).
import type { Subquery } from '@jetstreamapp/soql-parser-js'

import { findChildRelationship } from '../org/child-relationships.js'
import type { ObjectDef, SfRecord, SoqlDataSource } from '../org/model.js'
import { SoqlError, keywordIndex, locate, unsupported, withPosition } from './errors.js'
import { findField, resolveField, type ResolveContext, type ResolvedField } from './fields.js'
import { compileOrder, sortRecords, type OrderSpec } from './order.js'
import { compileWhere, type Predicate } from './where.js'

export interface ChildQuery {
  /** As describe spells it, the key of the nested result. */
  relationshipName: string
  child: ObjectDef
  /** The lookup on the child that points at the outer record (OpportunityId). */
  parentField: string
  columns: ResolvedField[]
  where: Predicate | undefined
  order: OrderSpec[]
  limit: number | undefined
  /** How many plain SELECT columns come before the subquery: its place among the record's keys. */
  after: number
}

export function compileSubquery(sub: Subquery, ctx: ResolveContext, after: number): ChildQuery {
  const relationship = findChildRelationship(ctx.root.name, sub.relationshipName)
  const child = relationship ? ctx.ds.describeObject(relationship.childSObject) : undefined
  if (!relationship || !child || !child.queryable) {
    // The message Salesforce gives for an unknown child relationship, as widely reported (UNCONFIRMED in its docs).
    const at = locate(ctx.soql, sub.relationshipName, Math.max(0, keywordIndex(ctx.soql, 'FROM')))
    throw new SoqlError(
      'INVALID_TYPE',
      withPosition(
        ctx.soql,
        at,
        `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are ` +
          `attempting to use a custom relationship, be sure to append the '__r' after the custom relationship ` +
          `name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    )
  }
  if (sub.groupBy || sub.having) throw unsupported('GROUP BY or HAVING in a subquery')
  if (sub.offset !== undefined) throw unsupported('OFFSET in a subquery')
  if (sub.for || sub.update || sub.usingScope) throw unsupported('FOR, UPDATE or USING SCOPE in a subquery')
  const childCtx: ResolveContext = { ds: ctx.ds, soql: ctx.soql, root: child, alias: undefined }
  const from = Math.max(0, keywordIndex(ctx.soql, 'SELECT'))
  const seen = new Set<string>()
  const columns = (sub.fields ?? []).map((f) => {
    if (f.type !== 'Field' && f.type !== 'FieldRelationship') {
      throw unsupported(
        f.type === 'FieldSubquery' ? 'A subquery inside a subquery' : 'This item in a subquery',
      )
    }
    const raw = f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.')
    const resolved = resolveField(raw, childCtx, from)
    if (seen.has(resolved.path.toLowerCase())) {
      throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${resolved.path}`)
    }
    seen.add(resolved.path.toLowerCase())
    return resolved
  })
  if (!findField(child, relationship.field)) throw unsupported(`The relationship ${sub.relationshipName}`)
  return {
    relationshipName: relationship.relationshipName as string,
    child,
    parentField: relationship.field,
    columns,
    where: sub.where ? compileWhere(sub.where, childCtx, from) : undefined,
    order: sub.orderBy ? compileOrder(sub.orderBy, childCtx, from) : [],
    limit: sub.limit,
    after,
  }
}

/** The matching children of every parent, by the parent's 15-character id, ordered and limited per parent. */
export function childRows(q: ChildQuery, ds: SoqlDataSource): Map<string, SfRecord[]> {
  const groups = new Map<string, SfRecord[]>()
  for (const rec of ds.allRecords(q.child.name)) {
    if (rec['IsDeleted'] === true) continue
    const parentId = rec[q.parentField]
    if (typeof parentId !== 'string' || (q.where && !q.where(rec))) continue
    const key = parentId.slice(0, 15)
    const group = groups.get(key)
    if (group) group.push(rec)
    else groups.set(key, [rec])
  }
  for (const [key, group] of groups) {
    const sorted = sortRecords(group, q.order)
    groups.set(key, q.limit === undefined ? sorted : sorted.slice(0, q.limit))
  }
  return groups
}
