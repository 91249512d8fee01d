// "Assign owners and team members automatically": workspace users whose email equals (any case) the
// Salesforce owner's or an opportunity team member's get an automatic membership. The sync engine calls
// applyAutomaticAssignments after each page (with that page's ids) or run (without ids).
//
// One statement computes the wanted (user, opportunity, owner?, team?) set and, from the same snapshot,
// upserts those flags, deletes rows that were automatic only and no longer wanted, and clears the flags of
// rows that are also manual. Manual assignments are never removed. Records deleted in Salesforce are left
// as they are, so a bookmark still answers "deleted in Salesforce" to the people who had it. Deactivated
// users keep theirs too (they cannot sign in, and pickers and notifications skip them), so reactivating
// someone gives them back exactly what they had.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

export interface AutomaticMembershipCounts {
  added: number
  deleted: number
  cleared: number
}

/** The one statement above, for `connectionId`'s opportunities (all, or only `opportunityIds`). */
export async function syncAutomaticMemberships(
  db: Db,
  connectionId: string,
  isEnabled: boolean,
  opportunityIds?: readonly string[],
): Promise<AutomaticMembershipCounts> {
  const inScope = opportunityIds ? sql`and o.id = any(${[...opportunityIds]}::text[])` : sql``
  const { rows } = await sql<AutomaticMembershipCounts>`
    with scope as (
      select o.id, o.owner_email from crm_opportunities o
       where o.connection_id = ${connectionId} and not o.is_deleted ${inScope}
    ),
    matches as (
      select u.id as user_id, s.id as opportunity_id, true as by_owner, false as by_team
        from scope s join users u on lower(u.email) = lower(s.owner_email)
       where ${isEnabled}
      union all
      select u.id, s.id, false, true
        from scope s
        join crm_opportunity_team_members t on t.opportunity_id = s.id and not t.is_deleted
        join crm_salesforce_users su on su.id = t.user_id
        join users u on lower(u.email) = lower(su.email)
       where ${isEnabled}
    ),
    wanted as (
      select user_id, opportunity_id, bool_or(by_owner) as by_owner, bool_or(by_team) as by_team
        from matches group by user_id, opportunity_id
    ),
    stale as (
      select m.user_id, m.opportunity_id, m.is_manual
        from crm_opportunity_members m join scope s on s.id = m.opportunity_id
       where (m.via_owner_rule or m.via_team_rule)
         and not exists (select 1 from wanted w where w.user_id = m.user_id and w.opportunity_id = m.opportunity_id)
    ),
    upserted as (
      insert into crm_opportunity_members as m (user_id, opportunity_id, via_owner_rule, via_team_rule, auto_added_at)
      select user_id, opportunity_id, by_owner, by_team, now() from wanted
      on conflict (user_id, opportunity_id) do update
         set via_owner_rule = excluded.via_owner_rule,
             via_team_rule = excluded.via_team_rule,
             auto_added_at = case when m.via_owner_rule or m.via_team_rule then m.auto_added_at else now() end
       where (m.via_owner_rule, m.via_team_rule) is distinct from (excluded.via_owner_rule, excluded.via_team_rule)
      returning 1
    ),
    deleted as (
      delete from crm_opportunity_members m using stale
       where m.user_id = stale.user_id and m.opportunity_id = stale.opportunity_id and not m.is_manual
      returning 1
    ),
    cleared as (
      update crm_opportunity_members m set via_owner_rule = false, via_team_rule = false, auto_added_at = null
        from stale
       where m.user_id = stale.user_id and m.opportunity_id = stale.opportunity_id and m.is_manual
      returning 1
    )
    select (select count(*) from upserted) as added,
           (select count(*) from deleted) as deleted,
           (select count(*) from cleared) as cleared`.execute(db)
  return rows[0] ?? { added: 0, deleted: 0, cleared: 0 }
}
