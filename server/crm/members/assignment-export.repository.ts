// The assignments a CSV export lists, a page at a time in primary-key order (user, opportunity), so an export
// of any size holds one page in memory: active users' manual or automatic memberships of opportunities that
// are not deleted (what grants access, and what the import can take back).
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

export interface ExportedAssignment {
  user_id: string
  opportunity_id: string
  email: string
  opportunity_name: string | null
  is_manual: boolean
}

export async function assignmentExportPage(
  db: Db,
  after: { userId: string; opportunityId: string } | null,
  limit: number,
): Promise<ExportedAssignment[]> {
  let query = db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select(['m.user_id', 'm.opportunity_id', 'u.email', 'o.name as opportunity_name', 'm.is_manual'])
    .where('u.is_active', '=', true)
    .where(sql<boolean>`not o.is_deleted`)
    .where((eb) =>
      eb.or([
        eb('m.is_manual', '=', true),
        eb('m.via_owner_rule', '=', true),
        eb('m.via_team_rule', '=', true),
      ]),
    )
  if (after) {
    query = query.where(
      sql<boolean>`(m.user_id, m.opportunity_id) > (${after.userId}::uuid, ${after.opportunityId})`,
    )
  }
  return query.orderBy('m.user_id').orderBy('m.opportunity_id').limit(limit).execute()
}
