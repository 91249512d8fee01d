// The member's list in one statement and one result row: the portal context (module switch, connection,
// sync), the user's assigned count, the filtered total, and the page as a JSON array. It is the busiest route
// of the portal; each round trip, and on PGlite each result field, costs more than the work of these small
// queries, so they travel together and the page is parsed once as JSON instead of field by field.
//
// The rows start from the user's membership rows, so the user id is part of the SQL and nothing unassigned
// can be read. A user has at most a few thousand assignments, so counting and sorting them in one pass is
// cheap; the keyset applies on top.
import { sql } from 'kysely'

import type {
  MemberOpportunityListQuery,
  OpportunityListItem,
} from '../../../contracts/api/opportunities.api.js'
import type { Db } from '../../storage/open-database.js'
import type { PortalContext } from './crm-portal.repository.js'
import { decodeCursor } from './list-cursor.js'
import { lastActivityExpression, unreadExpression } from './list-activity.repository.js'
import { listColumns, toOpportunityListItem, type OpportunityListRow } from './opportunity.js'
import { afterCursor, matchesFilters, sortExpression } from './opportunity-list-sql.repository.js'
import { pageOf, parseJsonRows, type Page } from './opportunity-lists.repository.js'

export type MemberListQuery = MemberOpportunityListQuery

export interface MemberListing {
  context: PortalContext
  /** Matches of the filters across all pages (the assigned count when there are no filters). */
  totalCount: number
  page: Page<OpportunityListItem>
}

/** A list row as JSON carries it: timestamps as text. */
type JsonListRow = Omit<OpportunityListRow, 'last_modified_date'> & {
  last_modified_date: string | null
  last_activity_at: string | null
  unread: boolean
  sort_key: string
}

interface ListingRow {
  module_enabled: boolean | null
  is_configured: boolean
  is_synced: boolean
  assigned_count: number
  filtered_count: number
  items: JsonListRow[] | string
}

export async function readMemberListing(
  db: Db,
  userId: string,
  query: MemberListQuery,
): Promise<MemberListing> {
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort, query.direction) : undefined
  const expression = sortExpression(query.sort)
  const assigned = db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select(listColumns)
    .select([
      sql`${expression}`.as('sort_value'),
      sql<string>`(${expression})::text`.as('sort_key'),
      sql<boolean>`${matchesFilters(query)}`.as('is_match'),
      // Per row of the user's own assignments only: nothing here reads another deal's feed.
      lastActivityExpression().as('last_activity_at'),
      unreadExpression(userId).as('unread'),
    ])
    .where('m.user_id', '=', userId)
    .where(sql<boolean>`not o.is_deleted`)
  const afterPrevious = cursor
    ? sql`and ${afterCursor(cursor, { sortValue: sql`sort_value`, id: sql`id` })}`
    : sql``
  const direction = sql.raw(query.direction)
  const fields = [...listColumns.map((column) => column.slice(2)), 'last_activity_at', 'unread', 'sort_key']

  // `mine` is referenced three times, so PostgreSQL computes it once.
  const { rows } = await sql<ListingRow>`
    with mine as (${assigned}),
    page as (
      select * from mine where is_match ${afterPrevious}
       order by sort_value ${direction}, id ${direction} limit ${query.limit + 1}
    )
    select
      (select enabled from module_settings where id = 'crm') as module_enabled,
      exists (select 1 from crm_connections) as is_configured,
      exists (select 1 from crm_opportunities) as is_synced,
      (select count(*) from mine) as assigned_count,
      (select count(*) from mine where is_match) as filtered_count,
      (select coalesce(json_agg(json_build_object(${sql.join(
        fields.map((field) => sql`${sql.lit(field)}::text, ${sql.ref(field)}`),
      )}) order by sort_value ${direction}, id ${direction}), '[]') from page) as items`.execute(db)

  const row = rows[0]
  if (!row) throw new Error('the listing query always returns one row')
  const pageRows = parseJsonRows(row.items)
  return {
    context: {
      moduleEnabled: row.module_enabled ?? false,
      isConfigured: row.is_configured,
      isSynced: row.is_synced,
      assignedCount: row.assigned_count,
    },
    totalCount: row.filtered_count,
    page: pageOf(pageRows, query, toOpportunityListItem),
  }
}
