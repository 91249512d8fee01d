// One batch of change events into the cache, in one transaction with the stream's position. Events say which
// records changed, not the whole row the cache keeps (no SystemModstamp, account or owner names, formula
// fields: https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm),
// so created, updated, undeleted and gap records are read again by id, in batches, and written with the sync's
// own upsert (older or equal versions are never written, so a replayed batch changes nothing). A record whose
// last event is DELETE, or that the read no longer finds, is marked deleted with the sync's own function. Gap
// events are handled as Salesforce advises, by re-reading the records they list
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm);
// an overflow (no record ids:
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm)
// or an unreadable event asks for an incremental sync, recorded in the same transaction. The module's own
// write-backs (changeOrigin) are not applied again. Tracked changes become timeline entries in the same
// transaction, named after the record's LastModifiedBy from that re-read.
import type { AppDeps } from '../../deps.js'
import type { ChangeBatch, ChangeEvent, CrmSession, FieldPlan } from '../../providers/crm-provider.js'
import { recordPageChanges } from '../feed/timeline.js'
import { applyAutomaticAssignments } from '../members/automatic-assignments.js'
import { upsertOpportunities } from '../sync/opportunity-upsert.repository.js'
import { toOpportunityRow } from '../sync/opportunity-row.js'
import { updateSyncState } from '../sync/sync-runs.repository.js'
import { markOpportunitiesDeleted } from '../sync/sync-writes.repository.js'
import { countBatchMinute } from './cdc-minutes.repository.js'
import { commitStreamPosition } from './cdc-streams.repository.js'

const IDS_PER_READ = 200
const READS_AT_ONCE = 3

export interface ApplyTarget {
  deps: AppDeps
  connectionId: string
  session: CrmSession
  plan: FieldPlan
  /** Tests: runs inside the batch's transaction after the cache writes, before the commit. */
  beforeCommit?: (() => Promise<void>) | undefined
}

export interface BatchOutcome {
  /** Foreign change events applied (own write-backs and keepalives not counted). */
  applied: number
  written: number
  deleted: number
  gaps: ChangeEvent[]
  /** Why an incremental sync was asked for, when one was. */
  syncReason: string | undefined
}

export async function applyChangeBatch(target: ApplyTarget, batch: ChangeBatch): Promise<BatchOutcome> {
  const { deps, connectionId, session, plan } = target
  const now = deps.clock.now()
  // The last event of each record decides what happens to it; the read brings its current state anyway.
  const last = new Map<string, ChangeEvent>()
  const gaps: ChangeEvent[] = []
  let syncReason: string | undefined
  let applied = 0
  for (const event of batch.events) {
    if (event.unreadable) {
      syncReason = `a change event could not be read (${event.unreadable})`
      continue
    }
    if (event.changeType === 'GAP_OVERFLOW') {
      syncReason = 'Salesforce sent an overflow event (GAP_OVERFLOW) for changes it does not send one by one'
      continue
    }
    if (event.ownChange) continue
    applied += 1
    if (event.changeType.startsWith('GAP_')) gaps.push(event)
    for (const id of event.recordIds) {
      // After some field type conversions the ids are a wildcard (006*): every record may have changed.
      if (id.includes('*')) syncReason = `a change event named records by a wildcard (${id})`
      else last.set(id, event)
    }
  }
  const deletes = [...last]
    .filter(([, event]) => event.changeType === 'DELETE')
    .map(([id, event]) => ({ id, deletedDate: event.commitTimestamp }))
  const reread = [...last].filter(([, event]) => event.changeType !== 'DELETE').map(([id]) => id)
  // A batch that grew while the one before was applied reads its records a few statements at a time.
  const chunks: string[][] = []
  for (let i = 0; i < reread.length; i += IDS_PER_READ) chunks.push(reread.slice(i, i + IDS_PER_READ))
  const rows: Array<ReturnType<typeof toOpportunityRow>> = []
  for (let i = 0; i < chunks.length; i += READS_AT_ONCE) {
    const pages = await Promise.all(
      chunks.slice(i, i + READS_AT_ONCE).map(async (ids) => {
        const read: Array<ReturnType<typeof toOpportunityRow>> = []
        for await (const page of session.opportunitiesByIds(ids, plan, IDS_PER_READ))
          read.push(...page.records.map((record) => toOpportunityRow(record, connectionId, now)))
        return read
      }),
    )
    for (const page of pages) rows.push(...page)
  }
  const found = new Set(rows.map((row) => row.id))
  const gone = reread
    .filter((id) => !found.has(id))
    .map((id) => ({ id, deletedDate: (last.get(id) as ChangeEvent).commitTimestamp }))
  // Commit in the CRM to our commit, for the changes applied (clocks may differ a little: never below 0).
  const lags = batch.events
    .filter((event) => !event.unreadable && !event.ownChange && event.changeType !== 'GAP_OVERFLOW')
    .map((event) => Math.max(0, now.getTime() - event.commitTimestamp.getTime()))
  const lastCommitAt = batch.events.reduce<Date | undefined>(
    (newest, event) => (!newest || event.commitTimestamp > newest ? event.commitTimestamp : newest),
    undefined,
  )
  const { counts, deleted } = await deps.db.transaction().execute(async (trx) => {
    // The change timeline as a sync page writes it (old row against new, set-based); the re-read above
    // brought LastModifiedBy.Name with the record, as an event carries LastModifiedById only.
    const counts = await upsertOpportunities(trx, rows, {
      beforeWrite: (page) => recordPageChanges(deps, page),
    })
    const deleted = await markOpportunitiesDeleted(trx, connectionId, [...deletes, ...gone])
    // Durable: the scheduler runs it even if this process dies before asking the dispatcher.
    if (syncReason) await updateSyncState(trx, connectionId, { next_run_at: now })
    await commitStreamPosition(trx, connectionId, {
      position: batch.position,
      applied,
      lastCommitAt,
      now,
      syncRequested: syncReason !== undefined,
    })
    // Every delivered event counts toward the org's allocation, keepalives (no events) do not.
    if (batch.events.length > 0)
      await countBatchMinute(trx, connectionId, now, {
        delivered: batch.events.length,
        applied,
        lagMsSum: lags.reduce((sum, lag) => sum + lag, 0),
        lagMsMax: lags.reduce((max, lag) => Math.max(max, lag), 0),
      })
    await target.beforeCommit?.()
    return { counts, deleted }
  })
  if (counts.changedIds.length > 0) await applyAutomaticAssignments(deps.db, connectionId, counts.changedIds)
  return { applied, written: counts.changedIds.length, deleted, gaps, syncReason }
}
