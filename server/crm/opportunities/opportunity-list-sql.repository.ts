// The SQL pieces every opportunity list shares: filters, sort expressions and the keyset condition.
// Sort expressions fold NULLs to ±infinity so that the row comparison `(key, id) > (…)` never meets a NULL,
// and they match the expression indexes of migration 0101 exactly (change both together).
import { sql, type RawBuilder, type SqlBool } from 'kysely'

import type { ListSort, OpportunityFilters } from '../../../contracts/api/opportunities.api.js'
import { escapeLike } from '../../users/users.repository.js'
import type { ListCursor } from './list-cursor.js'
import { activitySince, activitySinceCondition, lastActivityExpression } from './list-activity.repository.js'

interface SortExpression {
  expression: RawBuilder<unknown>
  /** Turns the cursor's printed key back into a value of the expression's type. */
  parse(key: string): RawBuilder<unknown>
}

const sortExpressions: Record<ListSort, SortExpression> = {
  closeDate: {
    expression: sql`coalesce(o.close_date, 'infinity'::date)`,
    parse: (key) => sql`${key}::date`,
  },
  amount: {
    expression: sql`coalesce(o.amount, '-Infinity'::numeric)`,
    parse: (key) => sql`${key}::numeric`,
  },
  // Salesforce's order for text (English locales): "the UTF-8 values of the uppercase character" (SOQL and SOSL
  // Reference, ORDER BY, https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm);
  // byte order ("C"), so cached and live lists agree on names with [ \ ] ^ _ ` between the cases. The key is
  // upper-cased again on the way in, so a live-mode cursor (which carries the name as written) fits too.
  name: { expression: sql`upper(o.name) collate "C"`, parse: (key) => sql`upper(${key}::text) collate "C"` },
  lastModified: {
    expression: sql`coalesce(o.last_modified_date, '-infinity'::timestamptz)`,
    parse: (key) => sql`${key}::timestamptz`,
  },
  // Only the member list sorts by it (its rows are the user's assignments, sorted in one pass), so it needs
  // no index of its own; a deal without feed entries sorts as the oldest.
  lastActivity: {
    expression: sql`coalesce(${lastActivityExpression()}, '-infinity'::timestamptz)`,
    parse: (key) => sql`${key}::timestamptz`,
  },
}

/** The sort expression, for ORDER BY and for printing the cursor key (`(expr)::text`). */
export function sortExpression(sort: ListSort): RawBuilder<unknown> {
  return sortExpressions[sort].expression
}

/**
 * Rows strictly after the cursor's row in the list's order. By default over `o`; a query that already
 * selected the sort value and id under other names passes those.
 */
export function afterCursor(
  cursor: ListCursor,
  columns: { sortValue: RawBuilder<unknown>; id: RawBuilder<unknown> } = {
    sortValue: sortExpressions[cursor.sort].expression,
    id: sql`o.id`,
  },
): RawBuilder<SqlBool> {
  const operator = sql.raw(cursor.direction === 'asc' ? '>' : '<')
  const key = sortExpressions[cursor.sort].parse(cursor.key)
  return sql<SqlBool>`(${columns.sortValue}, ${columns.id}) ${operator} (${key}, ${cursor.id})`
}

/**
 * The filters as the SQL takes them: "activity in the last N days" arrives as the time it starts
 * (`withActivitySince`), so the window follows the app's clock like the feed's own times.
 */
export type ListFilters = Omit<Partial<OpportunityFilters>, 'activityDays'> & { activitySince?: Date }

/** The query with `activityDays` turned into `activitySince` as of `now`. */
export function withActivitySince<Q extends Partial<OpportunityFilters>>(
  query: Q,
  now: Date,
): Omit<Q, 'activityDays'> & { activitySince?: Date } {
  const { activityDays, ...rest } = query
  return activityDays ? { ...rest, activitySince: activitySince(activityDays, now) } : rest
}

/**
 * The WHERE clause of a list over `crm_opportunities as o`. Deleted records never match. The literal
 * `not o.is_deleted` (not a parameter) lets PostgreSQL use the partial indexes.
 */
export function matchesFilters(filters: ListFilters): RawBuilder<SqlBool> {
  const conditions: Array<RawBuilder<unknown>> = [sql`not o.is_deleted`]
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`
    conditions.push(sql`(o.name ilike ${pattern} or o.account_name ilike ${pattern})`)
  }
  if (filters.stage?.length) conditions.push(sql`o.stage_name in (${sql.join(filters.stage)})`)
  if (filters.owner?.length) conditions.push(sql`o.owner_id in (${sql.join(filters.owner)})`)
  if (filters.status === 'open') conditions.push(sql`not o.is_closed`)
  if (filters.status === 'closed') conditions.push(sql`o.is_closed`)
  if (filters.status === 'won') conditions.push(sql`o.is_won`)
  if (filters.status === 'lost') conditions.push(sql`o.is_closed and not o.is_won`)
  if (filters.closeDateFrom) conditions.push(sql`o.close_date >= ${filters.closeDateFrom}::date`)
  if (filters.closeDateTo) conditions.push(sql`o.close_date <= ${filters.closeDateTo}::date`)
  const hasMembers = sql`exists (select 1 from crm_opportunity_members mm where mm.opportunity_id = o.id)`
  if (filters.members === 'with') conditions.push(hasMembers)
  if (filters.members === 'without') conditions.push(sql`not ${hasMembers}`)
  if (filters.activitySince) conditions.push(activitySinceCondition(filters.activitySince))
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`
}

/** True when any filter narrows the list (so a count differs from the plain total). */
export function hasFilters(filters: ListFilters): boolean {
  return Boolean(
    filters.search ||
    filters.stage?.length ||
    filters.owner?.length ||
    filters.status ||
    filters.closeDateFrom ||
    filters.closeDateTo ||
    filters.members ||
    filters.activitySince,
  )
}
