// Manual membership rows and the member lists. Automatic flags are written only by
// automatic-assignments.ts; these functions set and clear `is_manual` and leave those flags alone.
import { sql } from 'kysely'

import type { MemberUser, OpportunityMember } from '../../../contracts/api/members.api.js'
import type { Db } from '../../storage/open-database.js'

interface MemberRow {
  user_id: string
  user_name: string
  user_email: string
  user_role: 'admin' | 'member'
  user_is_active: boolean
  is_manual: boolean
  manual_added_by: string | null
  manual_added_by_name: string | null
  manual_added_at: Date | null
  via_owner_rule: boolean
  via_team_rule: boolean
  auto_added_at: Date | null
}

function selectMembers(db: Db, opportunityId: string) {
  return db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('users as a', 'a.id', 'm.manual_added_by')
    .select([
      'm.user_id',
      'u.name as user_name',
      'u.email as user_email',
      'u.role as user_role',
      'u.is_active as user_is_active',
      'm.is_manual',
      'm.manual_added_by',
      'a.name as manual_added_by_name',
      'm.manual_added_at',
      'm.via_owner_rule',
      'm.via_team_rule',
      'm.auto_added_at',
    ])
    .where('m.opportunity_id', '=', opportunityId)
}

export function toMemberUser(row: {
  id: string
  name: string
  email: string
  role: 'admin' | 'member'
  is_active: boolean
}): MemberUser {
  return { id: row.id, name: row.name, email: row.email, role: row.role, isActive: row.is_active }
}

function toOpportunityMember(row: MemberRow): OpportunityMember {
  return {
    user: toMemberUser({
      id: row.user_id,
      name: row.user_name,
      email: row.user_email,
      role: row.user_role,
      is_active: row.user_is_active,
    }),
    isManual: row.is_manual,
    manualAddedBy:
      row.manual_added_by && row.manual_added_by_name
        ? { id: row.manual_added_by, name: row.manual_added_by_name }
        : null,
    manualAddedAt: row.manual_added_at?.toISOString() ?? null,
    viaOwnerRule: row.via_owner_rule,
    viaTeamRule: row.via_team_rule,
    autoAddedAt: row.auto_added_at?.toISOString() ?? null,
  }
}

export async function listMembers(db: Db, opportunityId: string): Promise<OpportunityMember[]> {
  const rows = await selectMembers(db, opportunityId).orderBy('u.name').orderBy('u.email').execute()
  return rows.map(toOpportunityMember)
}

export async function findMember(
  db: Db,
  opportunityId: string,
  userId: string,
): Promise<OpportunityMember | undefined> {
  const row = await selectMembers(db, opportunityId).where('m.user_id', '=', userId).executeTakeFirst()
  return row ? toOpportunityMember(row) : undefined
}

/**
 * Sets the manual flag on each (opportunity, user) pair; returns the opportunity ids whose flag changed
 * (pairs that already were manual are left as they were, with their original "added by").
 */
export async function addManualMemberships(
  db: Db,
  userId: string,
  opportunityIds: readonly string[],
  actorUserId: string,
  now: Date,
): Promise<string[]> {
  if (opportunityIds.length === 0) return []
  const rows = await db
    .insertInto('crm_opportunity_members')
    .values(
      opportunityIds.map((opportunityId) => ({
        user_id: userId,
        opportunity_id: opportunityId,
        is_manual: true,
        manual_added_by: actorUserId,
        manual_added_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'opportunity_id'])
        .doUpdateSet({
          is_manual: true,
          manual_added_by: (eb) => eb.ref('excluded.manual_added_by'),
          manual_added_at: (eb) => eb.ref('excluded.manual_added_at'),
        })
        .where('crm_opportunity_members.is_manual', '=', false),
    )
    .returning('opportunity_id')
    .execute()
  return rows.map((row) => row.opportunity_id)
}

/**
 * Clears the manual flag; a row no automatic rule holds is deleted, one a rule still holds stays.
 * Returns the opportunity ids whose manual flag was cleared.
 */
export async function removeManualMemberships(
  db: Db,
  userId: string,
  opportunityIds: readonly string[],
): Promise<string[]> {
  if (opportunityIds.length === 0) return []
  const deleted = await db
    .deleteFrom('crm_opportunity_members')
    .where('user_id', '=', userId)
    .where('opportunity_id', 'in', opportunityIds)
    .where('is_manual', '=', true)
    .where('via_owner_rule', '=', false)
    .where('via_team_rule', '=', false)
    .returning('opportunity_id')
    .execute()
  const cleared = await db
    .updateTable('crm_opportunity_members')
    .set({ is_manual: false, manual_added_by: null, manual_added_at: null })
    .where('user_id', '=', userId)
    .where('opportunity_id', 'in', opportunityIds)
    .where('is_manual', '=', true)
    .returning('opportunity_id')
    .execute()
  return [...deleted, ...cleared].map((row) => row.opportunity_id)
}

/** The ids among `ids` that exist in the cache and are not deleted in Salesforce. */
export async function findLiveOpportunityIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('crm_opportunities')
    .select('id')
    .where('id', 'in', ids)
    .where(sql<boolean>`not is_deleted`)
    .execute()
  return new Set(rows.map((row) => row.id))
}
