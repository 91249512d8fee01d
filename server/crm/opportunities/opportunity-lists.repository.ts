// The admin's list over the whole cache, and the paging both lists share: a keyset (sort key, id), fetching
// one row more than the page to know whether there is a next one.
import { sql } from 'kysely'

import type {
  AdminOpportunityListItem,
  OpportunityFilters,
  MemberOpportunityListQuery,
  OpportunityListQuery,
  Money,
} from '../../../contracts/api/opportunities.api.js'
import type { Db } from '../../storage/open-database.js'
import { decodeCursor, encodeCursor } from './list-cursor.js'
import { listColumns, toAdminListItem } from './opportunity.js'
import { lastActivityExpression, unreadExpression } from './list-activity.repository.js'
import {
  afterCursor,
  matchesFilters,
  sortExpression,
  withActivitySince,
} from './opportunity-list-sql.repository.js'

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** Member sorts include the admin's, so either list's query pages. */
export type PageQuery = Pick<MemberOpportunityListQuery, 'sort' | 'direction' | 'limit' | 'cursor'>

/** Who asks (the unread marker is theirs) and when ("activity in the last N days" as of then). */
export interface ListViewer {
  userId: string
  now: Date
}

export function pageOf<R extends { id: string; sort_key: string }, T>(
  rows: R[],
  query: PageQuery,
  toItem: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > query.limit
  const pageRows = hasMore ? rows.slice(0, query.limit) : rows
  const last = pageRows.at(-1)
  return {
    items: pageRows.map(toItem),
    nextCursor:
      hasMore && last
        ? encodeCursor({ sort: query.sort, direction: query.direction, key: last.sort_key, id: last.id })
        : null,
  }
}

export async function listAllOpportunities(
  db: Db,
  query: OpportunityListQuery,
  viewer: ListViewer,
): Promise<Page<AdminOpportunityListItem>> {
  const expression = sortExpression(query.sort)
  let select = db
    .selectFrom('crm_opportunities as o')
    .select(listColumns)
    .select(['o.owner_id', 'o.owner_email'])
    .select(sql<string>`(${expression})::text`.as('sort_key'))
    .select(
      sql<number>`(select count(*) from crm_opportunity_members mm where mm.opportunity_id = o.id)`.as(
        'member_count',
      ),
    )
    .select(lastActivityExpression().as('last_activity_at'))
    .select(unreadExpression(viewer.userId).as('unread'))
    .where(matchesFilters(withActivitySince(query, viewer.now)))
  if (query.cursor)
    select = select.where(afterCursor(decodeCursor(query.cursor, query.sort, query.direction)))
  const page = select
    .select(sql`${expression}`.as('sort_value'))
    .orderBy(expression, query.direction)
    .orderBy('o.id', query.direction)
    .limit(query.limit + 1)
  const direction = sql.raw(query.direction)
  // The page as one JSON value: parsed once, where field-by-field decoding of 50 rows costs more than the
  // query on PGlite (see member-listing.repository.ts).
  const { rows } = await sql<{ items: Array<JsonRow<typeof page>> | string }>`
    select coalesce(json_agg(row_to_json(page) order by page.sort_value ${direction}, page.id ${direction}), '[]')
      as items
    from (${page}) page`.execute(db)
  return pageOf(parseJsonRows(rows[0]?.items ?? []), query, toAdminListItem)
}

/** A row of `query` as JSON carries it: timestamps become ISO text. */
type JsonRow<Q extends { execute(): Promise<unknown[]> }> = {
  [K in keyof Awaited<ReturnType<Q['execute']>>[number]]: Awaited<
    ReturnType<Q['execute']>
  >[number][K] extends Date | null
    ? string | null
    : Awaited<ReturnType<Q['execute']>>[number][K]
}

/** Turns JSON list rows back into row shapes: `last_modified_date` text into a Date. */
export function parseJsonRows<R extends { last_modified_date: string | null }>(
  items: R[] | string,
): Array<Omit<R, 'last_modified_date'> & { last_modified_date: Date | null }> {
  const rows = typeof items === 'string' ? (JSON.parse(items) as R[]) : items
  return rows.map((row) => ({
    ...row,
    last_modified_date: row.last_modified_date === null ? null : new Date(row.last_modified_date),
  }))
}

/** Count and amount per currency of everything matching the filters (never adds currencies together). */
export async function totalAllOpportunities(
  db: Db,
  filters: OpportunityFilters,
  viewer: ListViewer,
): Promise<{ count: number; amounts: Money[] }> {
  const rows = await db
    .selectFrom('crm_opportunities as o')
    .select('o.currency_iso_code')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .select(sql<number | null>`sum(o.amount)`.as('amount'))
    .where(matchesFilters(withActivitySince(filters, viewer.now)))
    .groupBy('o.currency_iso_code')
    .orderBy('o.currency_iso_code')
    .execute()
  return {
    count: rows.reduce((total, row) => total + row.count, 0),
    amounts: rows
      .filter((row) => row.amount !== null)
      .map((row) => ({ currencyIsoCode: row.currency_iso_code, amount: row.amount ?? 0 })),
  }
}
