// What a sync run writes besides the opportunity pages (opportunity-upsert.repository.ts): hard deletes, team
// members, Salesforce users, and reconciliation's parked id lists. Set-based: one statement per page.
import { sql } from 'kysely'

import type { CrmUserRecord, OpportunityKey, TeamMemberRecord } from '../../providers/crm-provider.js'
import type { Db } from '../../storage/open-database.js'

/** Marks the listed opportunities deleted (not already so); returns how many changed. */
export async function markOpportunitiesDeleted(
  db: Db,
  connectionId: string,
  records: ReadonlyArray<{ id: string; deletedDate: Date }>,
): Promise<number> {
  if (records.length === 0) return 0
  const ids = records.map((record) => record.id)
  const dates = records.map((record) => record.deletedDate.toISOString())
  const result = await sql<{ id: string }>`
    update crm_opportunities o set is_deleted = true, deleted_at = d.deleted_at
    from unnest(${ids}::text[], ${dates}::timestamptz[]) as d(id, deleted_at)
    where o.id = d.id and o.connection_id = ${connectionId} and not o.is_deleted
    returning o.id`.execute(db)
  return result.rows.length
}

export async function upsertTeamMembers(
  db: Db,
  connectionId: string,
  records: readonly TeamMemberRecord[],
): Promise<void> {
  if (records.length === 0) return
  await sql`
    insert into crm_opportunity_team_members (id, connection_id, opportunity_id, user_id, team_member_role, system_modstamp, is_deleted)
    select t.id, ${connectionId}::uuid, t.opportunity_id, t.user_id, t.role, t.modstamp, t.deleted
    from unnest(${records.map((r) => r.id)}::text[], ${records.map((r) => r.opportunityId)}::text[], ${records.map((r) => r.userId)}::text[],
                ${records.map((r) => r.role)}::text[], ${records.map((r) => r.modstamp)}::timestamptz[], ${records.map((r) => r.deleted)}::boolean[])
      as t(id, opportunity_id, user_id, role, modstamp, deleted)
    on conflict (id) do update set opportunity_id = excluded.opportunity_id, user_id = excluded.user_id,
      team_member_role = excluded.team_member_role, system_modstamp = excluded.system_modstamp, is_deleted = excluded.is_deleted`.execute(
    db,
  )
}

export async function upsertSalesforceUsers(
  db: Db,
  connectionId: string,
  rows: readonly CrmUserRecord[],
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    insert into crm_salesforce_users (id, connection_id, name, email, is_active, synced_at)
    select u.id, ${connectionId}::uuid, u.name, u.email, u.active, now()
    from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.active)}::boolean[]) as u(id, name, email, active)
    on conflict (id) do update set name = excluded.name, email = excluded.email, is_active = excluded.is_active, synced_at = excluded.synced_at`.execute(
    db,
  )
}

/** Reconciliation: parks one page of the org's ids and versions for this run. */
export async function parkReconcileKeys(
  db: Db,
  runId: number,
  keys: readonly OpportunityKey[],
): Promise<void> {
  if (keys.length === 0) return
  const ids = keys.map((key) => key.id)
  const stamps = keys.map((key) => key.systemModstamp)
  await sql`
    insert into crm_reconcile_ids (run_id, id, system_modstamp)
    select ${runId}, r.id, r.stamp from unnest(${ids}::text[], ${stamps}::timestamptz[]) as r(id, stamp)
    on conflict do nothing`.execute(db)
}

/** Cached records the org no longer has (not among the run's parked ids) become deleted; returns how many. */
export async function markUnparkedDeleted(db: Db, connectionId: string, runId: number): Promise<number> {
  const missed = await sql<{ id: string }>`
    update crm_opportunities o set is_deleted = true, deleted_at = now()
    where o.connection_id = ${connectionId} and not o.is_deleted
      and not exists (select 1 from crm_reconcile_ids r where r.run_id = ${runId} and r.id = o.id)
    returning o.id`.execute(db)
  return missed.rows.length
}

/** Parked ids after `after` that the cache lacks, holds older, or holds as deleted: the next `limit` of them. */
export async function findDriftedIds(db: Db, runId: number, after: string, limit: number): Promise<string[]> {
  const stale = await sql<{ id: string }>`
    select r.id from crm_reconcile_ids r
    left join crm_opportunities o on o.id = r.id
    where r.run_id = ${runId} and r.id > ${after}
      and (o.id is null or o.system_modstamp < r.system_modstamp or o.is_deleted)
    order by r.id limit ${limit}`.execute(db)
  return stale.rows.map((row) => row.id)
}

export async function forgetReconcileKeys(db: Db, runId: number): Promise<void> {
  await db.deleteFrom('crm_reconcile_ids').where('run_id', '=', runId).execute()
}
