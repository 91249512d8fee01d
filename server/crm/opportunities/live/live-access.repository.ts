// What live mode still reads locally: who is assigned to what. Access is decided here, before any SOQL.
import type { Db } from '../../../storage/open-database.js'

/** The user's assigned, not deleted opportunity ids. */
export async function assignedIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select('o.id')
    .where('m.user_id', '=', userId)
    .where('o.is_deleted', '=', false)
    .orderBy('o.id')
    .execute()
  return rows.map((row) => row.id)
}

/** Ids of the not deleted opportunities that have at least one member. */
export async function idsWithMembers(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select('o.id')
    .distinct()
    .where('o.is_deleted', '=', false)
    .orderBy('o.id')
    .execute()
  return rows.map((row) => row.id)
}

export async function memberCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('crm_opportunity_members')
    .select('opportunity_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('opportunity_id', 'in', ids)
    .groupBy('opportunity_id')
    .execute()
  return new Map(rows.map((row) => [row.opportunity_id, Number(row.count)]))
}
