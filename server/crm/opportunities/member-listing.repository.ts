// The member's list in one statement: the portal context (module switch, connection, sync, assigned count),
// the filtered total when filters apply, and the page. The list is the busiest route of the portal, and every
// round trip costs more than the work of these small queries, so they travel together.
// The page starts from the user's membership rows: the user id is part of the SQL, and nothing unassigned
// can be read.
import { sql } from 'kysely'

import type { OpportunityListItem, OpportunityListQuery } from '../../../contracts/api/opportunities.api.js'
import type { Db } from '../../storage/open-database.js'
import type { PortalContext } from './crm-portal.repository.js'
import { decodeCursor } from './list-cursor.js'
import { listColumns, toOpportunityListItem, type OpportunityListRow } from './opportunity.js'
import { afterCursor, hasFilters, matchesFilters, sortExpression } from './opportunity-list.query.js'
import { pageOf, type Page } from './opportunity-lists.repository.js'

export type MemberListQuery = Omit<OpportunityListQuery, 'owner' | 'members'>

export interface MemberListing {
  context: PortalContext
  /** Matches of the filters across all pages (the assigned count when there are no filters). */
  totalCount: number
  page: Page<OpportunityListItem>
}

type ListingRow = {
  module_enabled: boolean | null
  is_configured: boolean
  is_synced: boolean
  assigned_count: number
  filtered_count: number | null
} & (({ id: string; sort_key: string } & OpportunityListRow) | { id: null })

export async function readMemberListing(
  db: Db,
  userId: string,
  query: MemberListQuery,
): Promise<MemberListing> {
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort, query.direction) : undefined
  const expression = sortExpression(query.sort)
  const direction = sql.raw(query.direction)
  const mine = db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .where('m.user_id', '=', userId)
  let page = mine
    .select(listColumns)
    .select(sql<string>`(${expression})::text`.as('sort_key'))
    // The page's order, carried through the outer select (which would not keep it otherwise).
    .select(
      sql<number>`row_number() over (order by ${expression} ${direction}, o.id ${direction})`.as('position'),
    )
    .where(matchesFilters(query))
  if (cursor) page = page.where(afterCursor(cursor))
  const pageQuery = page
    .orderBy(expression, query.direction)
    .orderBy('o.id', query.direction)
    .limit(query.limit + 1)
  const count = (filtered: boolean) =>
    mine.select((eb) => eb.fn.countAll<number>().as('count')).where(matchesFilters(filtered ? query : {}))

  const { rows } = await sql<ListingRow>`
    with page as (${pageQuery})
    select
      (select enabled from module_settings where id = 'crm') as module_enabled,
      exists (select 1 from crm_connections) as is_configured,
      exists (select 1 from crm_opportunities) as is_synced,
      (${count(false)}) as assigned_count,
      ${hasFilters(query) ? sql`(${count(true)})` : sql`null::bigint`} as filtered_count,
      page.*
    from (select 1) one left join page on true
    order by page.position`.execute(db)

  const first = rows[0]
  const context: PortalContext = {
    moduleEnabled: first?.module_enabled ?? false,
    isConfigured: first?.is_configured ?? false,
    isSynced: first?.is_synced ?? false,
    assignedCount: first?.assigned_count ?? 0,
  }
  const items = rows.filter((row): row is Extract<ListingRow, { id: string }> => row.id !== null)
  return {
    context,
    totalCount: first?.filtered_count ?? context.assignedCount,
    page: pageOf(items, query, toOpportunityListItem),
  }
}
