// Team members (where Team Selling is on) and the Salesforce users behind owners and team members, for member
// suggestions. Both are small next to opportunities, so they are read incrementally by SystemModstamp over REST.
import type { RunContext } from './sync-context.js'
import { updateSyncState, type SyncStateRow } from './sync-runs.repository.js'
import { upsertSalesforceUsers, upsertTeamMembers } from './sync-writes.repository.js'

export async function syncRelatedRecords(
  context: RunContext,
  state: SyncStateRow,
  hasTeamSelling: boolean,
): Promise<{ teamMembers: number; users: number }> {
  const { deps, connectionId, tuning, client } = context
  const since = state.related_synced_until
    ? new Date(state.related_synced_until.getTime() - tuning.overlapMs)
    : undefined
  const startedAt = context.startedAt
  let teamMembers = 0
  if (hasTeamSelling) {
    for await (const page of client.teamMemberPages(since, tuning.batchSize)) {
      context.watch.check()
      await upsertTeamMembers(deps.db, connectionId, page.records)
      teamMembers += page.records.length
    }
  }
  let users = 0
  for await (const page of client.userPages(since, tuning.batchSize)) {
    context.watch.check()
    await upsertSalesforceUsers(deps.db, connectionId, page.records)
    users += page.records.length
  }
  context.watch.check()
  await updateSyncState(deps.db, connectionId, { related_synced_until: startedAt })
  return { teamMembers, users }
}
