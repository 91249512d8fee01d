// Records removed from the recycle bin (hard deletes) no longer show up in queryAll. Get Deleted
// (REST API "Get Deleted Records": GET /sobjects/Opportunity/deleted/?start=&end=) still lists them for about
// 15 days. If our last check is older than what Salesforce still covers (earliestDateAvailable), some deletes
// can no longer be seen that way and a full reconciliation is needed.
import { sql } from 'kysely'

import type { RunContext } from './sync-context.js'
import { updateSyncState, type SyncStateRow } from './sync-runs.repository.js'

interface DeletedResponse {
  deletedRecords: Array<{ id: string; deletedDate: string }>
  earliestDateAvailable: string
  latestDateCovered: string
}

const isDeletedResponse = (body: unknown): body is DeletedResponse =>
  typeof body === 'object' && body !== null && Array.isArray((body as DeletedResponse).deletedRecords)

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
  const query = new URLSearchParams({ start: start.toISOString(), end: end.toISOString() })
  const url = `/services/data/v${deps.config.crm.apiVersion}/sobjects/Opportunity/deleted/?${query.toString()}`
  const body = await context.tracker.call(
    'listing deleted records',
    (api) => api.request<DeletedResponse>(url),
    isDeletedResponse,
  )
  const earliest = new Date(body.earliestDateAvailable)
  const windowExceeded = state.deleted_checked_until !== null && state.deleted_checked_until < earliest
  let markedDeleted = 0
  if (body.deletedRecords.length > 0) {
    const ids = body.deletedRecords.map((record) => record.id)
    const dates = body.deletedRecords.map((record) => new Date(record.deletedDate).toISOString())
    const result = await sql<{ id: string }>`
      update crm_opportunities o set is_deleted = true, deleted_at = d.deleted_at
      from unnest(${ids}::text[], ${dates}::timestamptz[]) as d(id, deleted_at)
      where o.id = d.id and o.connection_id = ${connectionId} and not o.is_deleted
      returning o.id`.execute(deps.db)
    markedDeleted = result.rows.length
  }
  await updateSyncState(deps.db, connectionId, { deleted_checked_until: new Date(body.latestDateCovered) })
  return { markedDeleted, windowExceeded }
}
