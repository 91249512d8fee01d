// Which workspace users the automatic rule matches for one opportunity (owner email, team member emails;
// any case), whatever the setting: the data behind suggestions and the access explanation.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

export interface RuleMatch {
  user: { id: string; name: string; email: string; role: 'admin' | 'member'; is_active: boolean }
  reasons: Array<'owner' | 'team'>
  teamRoles: string[]
  isManualMember: boolean
  isAutomaticMember: boolean
}

interface RuleMatchRow {
  id: string
  name: string
  email: string
  role: 'admin' | 'member'
  is_active: boolean
  reasons: Array<'owner' | 'team'>
  team_roles: string[]
  is_manual_member: boolean
  is_automatic_member: boolean
}

export async function findRuleMatches(
  db: Db,
  opportunityId: string,
  options: { userId?: string } = {},
): Promise<RuleMatch[]> {
  const forUser = options.userId ? sql`and u.id = ${options.userId}` : sql``
  const { rows } = await sql<RuleMatchRow>`
    with matches as (
      select lower(o.owner_email) as email, 'owner' as reason, null::text as team_role
        from crm_opportunities o where o.id = ${opportunityId} and o.owner_email is not null
      union all
      select lower(su.email), 'team', t.team_member_role
        from crm_opportunity_team_members t join crm_salesforce_users su on su.id = t.user_id
       where t.opportunity_id = ${opportunityId} and not t.is_deleted and su.email is not null
    )
    select u.id, u.name, u.email, u.role, u.is_active,
           jsonb_agg(distinct matches.reason) as reasons,
           coalesce(jsonb_agg(distinct matches.team_role) filter (where matches.team_role is not null), '[]') as team_roles,
           coalesce(bool_or(m.is_manual), false) as is_manual_member,
           coalesce(bool_or(m.via_owner_rule or m.via_team_rule), false) as is_automatic_member
      from matches
      join users u on lower(u.email) = matches.email
      left join crm_opportunity_members m on m.opportunity_id = ${opportunityId} and m.user_id = u.id
     where true ${forUser}
     group by u.id
     order by u.name, u.email`.execute(db)
  return rows.map((row) => ({
    user: { id: row.id, name: row.name, email: row.email, role: row.role, is_active: row.is_active },
    reasons: [...row.reasons].sort(),
    teamRoles: row.team_roles,
    isManualMember: row.is_manual_member,
    isAutomaticMember: row.is_automatic_member,
  }))
}
