// Team members (where Team Selling is on) and the Salesforce users behind owners and team members, for member
// suggestions. Both are small next to opportunities, so they are read incrementally by SystemModstamp over REST.
import { sql } from 'kysely'

import { textOf } from './opportunity-fields.js'
import { restQueryPages } from './salesforce-reader.js'
import { soqlDateTime, type RunContext } from './sync-context.js'
import { updateSyncState, type SyncStateRow } from './sync-runs.repository.js'

export async function syncRelatedRecords(
  context: RunContext,
  state: SyncStateRow,
  hasTeamSelling: boolean,
): Promise<{ teamMembers: number; users: number }> {
  const { deps, connectionId, tuning } = context
  const version = deps.config.crm.apiVersion
  const since = state.related_synced_until
    ? new Date(state.related_synced_until.getTime() - tuning.overlapMs)
    : undefined
  const where = since ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : ''
  const startedAt = context.startedAt
  let teamMembers = 0
  if (hasTeamSelling) {
    const soql = `SELECT Id, OpportunityId, UserId, TeamMemberRole, SystemModstamp, IsDeleted FROM OpportunityTeamMember${where}`
    for await (const page of restQueryPages(context.tracker, version, soql, {
      includeDeleted: true,
      batchSize: tuning.batchSize,
    })) {
      const records = page.records.map((r) => ({
        id: String(r['Id']),
        opportunityId: String(r['OpportunityId']),
        userId: String(r['UserId']),
        role: textOf(r['TeamMemberRole']),
        modstamp: new Date(String(r['SystemModstamp'])).toISOString(),
        deleted: r['IsDeleted'] === true,
      }))
      if (records.length === 0) continue
      await sql`
        insert into crm_opportunity_team_members (id, connection_id, opportunity_id, user_id, team_member_role, system_modstamp, is_deleted)
        select t.id, ${connectionId}::uuid, t.opportunity_id, t.user_id, t.role, t.modstamp, t.deleted
        from unnest(${records.map((r) => r.id)}::text[], ${records.map((r) => r.opportunityId)}::text[], ${records.map((r) => r.userId)}::text[],
                    ${records.map((r) => r.role)}::text[], ${records.map((r) => r.modstamp)}::timestamptz[], ${records.map((r) => r.deleted)}::boolean[])
          as t(id, opportunity_id, user_id, role, modstamp, deleted)
        on conflict (id) do update set opportunity_id = excluded.opportunity_id, user_id = excluded.user_id,
          team_member_role = excluded.team_member_role, system_modstamp = excluded.system_modstamp, is_deleted = excluded.is_deleted`.execute(
        deps.db,
      )
      teamMembers += records.length
    }
  }
  let users = 0
  for await (const page of restQueryPages(
    context.tracker,
    version,
    `SELECT Id, Name, Email, IsActive FROM User${where}`,
    { includeDeleted: false, batchSize: tuning.batchSize },
  )) {
    if (page.records.length === 0) continue
    const rows = page.records.map((r) => ({
      id: String(r['Id']),
      name: textOf(r['Name']),
      email: textOf(r['Email']),
      active: r['IsActive'] !== false,
    }))
    await sql`
      insert into crm_salesforce_users (id, connection_id, name, email, is_active, synced_at)
      select u.id, ${connectionId}::uuid, u.name, u.email, u.active, now()
      from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.active)}::boolean[]) as u(id, name, email, active)
      on conflict (id) do update set name = excluded.name, email = excluded.email, is_active = excluded.is_active, synced_at = excluded.synced_at`.execute(
      deps.db,
    )
    users += rows.length
  }
  await updateSyncState(deps.db, connectionId, { related_synced_until: startedAt })
  return { teamMembers, users }
}
