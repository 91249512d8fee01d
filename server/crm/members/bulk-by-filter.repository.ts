// "Select all N matching": each function is one statement whose CTEs share one snapshot, so the count it
// compares with the client's and the rows it writes are the same set even while a sync commits beside it. On a
// mismatch the writing CTEs are guarded by the count and touch nothing.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import { matchesFilters, type ListFilters } from '../opportunities/opportunity-list-sql.repository.js'

export interface FilteredChange {
  matched: number
  /** Opportunity ids whose manual flag changed. */
  changed: string[]
}

interface ChangeRow {
  matched: number
  changed: string[] | null
}

const toChange = (row: ChangeRow | undefined): FilteredChange => ({
  matched: row?.matched ?? 0,
  changed: row?.changed ?? [],
})

/** Sets the manual flag of `userId` on every match, when there are exactly `expected` matches. */
export async function addManualMembershipsMatching(
  db: Db,
  input: { userId: string; filters: ListFilters; expected: number; actorUserId: string; now: Date },
): Promise<FilteredChange> {
  const { rows } = await sql<ChangeRow>`
    with matched as (select o.id from crm_opportunities o where ${matchesFilters(input.filters)}),
    total as (select count(*) as n from matched),
    written as (
      insert into crm_opportunity_members as m (user_id, opportunity_id, is_manual, manual_added_by, manual_added_at)
      select ${input.userId}::uuid, matched.id, true, ${input.actorUserId}::uuid, ${input.now}
        from matched
       where (select n from total) = ${input.expected}
      on conflict (user_id, opportunity_id) do update
         set is_manual = true, manual_added_by = excluded.manual_added_by, manual_added_at = excluded.manual_added_at
       where not m.is_manual
      returning m.opportunity_id
    )
    select (select n from total) as matched,
           (select json_agg(opportunity_id order by opportunity_id) from written) as changed`.execute(db)
  return toChange(rows[0])
}

/**
 * Clears the manual flag of `userId` on every match, when there are exactly `expected` matches: rows no
 * automatic rule holds are deleted, the others stay as automatic ones.
 */
export async function removeManualMembershipsMatching(
  db: Db,
  input: { userId: string; filters: ListFilters; expected: number },
): Promise<FilteredChange> {
  const { rows } = await sql<ChangeRow>`
    with matched as (select o.id from crm_opportunities o where ${matchesFilters(input.filters)}),
    total as (select count(*) as n from matched),
    deleted as (
      delete from crm_opportunity_members m using matched
       where m.opportunity_id = matched.id and m.user_id = ${input.userId}::uuid and m.is_manual
         and not m.via_owner_rule and not m.via_team_rule
         and (select n from total) = ${input.expected}
      returning m.opportunity_id
    ),
    cleared as (
      update crm_opportunity_members m set is_manual = false, manual_added_by = null, manual_added_at = null
        from matched
       where m.opportunity_id = matched.id and m.user_id = ${input.userId}::uuid and m.is_manual
         and (m.via_owner_rule or m.via_team_rule)
         and (select n from total) = ${input.expected}
      returning m.opportunity_id
    )
    select (select n from total) as matched,
           (select json_agg(opportunity_id order by opportunity_id)
              from (select opportunity_id from deleted union all select opportunity_id from cleared) x) as changed`.execute(
    db,
  )
  return toChange(rows[0])
}
