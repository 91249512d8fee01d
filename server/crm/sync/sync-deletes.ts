// Records removed from the recycle bin (hard deletes) no longer show up in queryAll. Get Deleted still lists
// them for about 15 days (REST API "Get Deleted Records",
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm). If our
// last check is older than what Salesforce still covers (earliestDateAvailable), some deletes can no longer be
// seen that way and a full reconciliation is needed.
import type { RunContext } from './sync-context.js'
import { updateSyncState, type SyncStateRow } from './sync-runs.repository.js'
import { markOpportunitiesDeleted } from './sync-writes.repository.js'

const MAX_WINDOW_MS = 15 * 24 * 3_600_000

export interface DeletedCheck {
  markedDeleted: number
  /** True when deletes older than Salesforce's window may have been missed. */
  windowExceeded: boolean
}

export async function checkHardDeletes(context: RunContext, state: SyncStateRow): Promise<DeletedCheck> {
  const { deps, connectionId } = context
  const now = deps.clock.now()
  // Get Deleted works at minute granularity and needs start < end.
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000)
  const from = state.deleted_checked_until ?? new Date(end.getTime() - MAX_WINDOW_MS + 60_000)
  const start = new Date(
    Math.max(from.getTime() - context.tuning.overlapMs, end.getTime() - MAX_WINDOW_MS + 60_000),
  )
  if (end.getTime() - start.getTime() < 60_000) return { markedDeleted: 0, windowExceeded: false }
  const deleted = await context.client.deletedOpportunities(start, end)
  const windowExceeded =
    state.deleted_checked_until !== null && state.deleted_checked_until < deleted.earliestDateAvailable
  const markedDeleted = await markOpportunitiesDeleted(deps.db, connectionId, deleted.records)
  await updateSyncState(deps.db, connectionId, { deleted_checked_until: deleted.latestDateCovered })
  return { markedDeleted, windowExceeded }
}
