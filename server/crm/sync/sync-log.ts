// The Sync Log as admins read it: runs with their counts, progress of the running one, and the settings. A run
// that is not moving never reads as live progress: a failed run says whether it stalled or was interrupted, and
// a running run whose process stopped reporting, or that saved no page for half the stall limit, shows that
// (with how long) instead of a percentage and a time left.
import type { ApiSyncRun, SyncHealth, SyncSettings } from '../../../contracts/api/sync.api.js'
import type { AppDeps } from '../../deps.js'
import { findConnection } from '../connection/connection.repository.js'
import { HEARTBEAT_MS } from './dead-runs.js'
import { findRecentFinishedRuns } from './sync-log.repository.js'
import {
  ensureSyncState,
  findRunningRun,
  type SyncRunRow,
  type SyncStateRow,
} from './sync-runs.repository.js'

/** This many failed runs in a row raise the needs-attention banner. */
export const FAILING_RUNS_FOR_ATTENTION = 3

/** A running run's process is taken as not reporting after this many missed beats (recovery then ends it). */
const NOT_REPORTING_MS = 2.5 * HEARTBEAT_MS

type Stop = ApiSyncRun['stop']

function stopOf(row: SyncRunRow, now: Date, stallMs: number): { stop: Stop; idleMs: number | null } {
  if (row.status === 'failed' && row.error_code === 'STALLED') return { stop: 'stalled', idleMs: null }
  if (row.status === 'failed' && row.error_code === 'WORKER_STOPPED')
    return { stop: 'interrupted', idleMs: null }
  if (row.status !== 'running') return { stop: null, idleMs: null }
  const silentMs = now.getTime() - row.heartbeat_at.getTime()
  if (silentMs > NOT_REPORTING_MS) return { stop: 'not_reporting', idleMs: silentMs }
  const idleMs = now.getTime() - (row.progress_at ?? row.started_at).getTime()
  return { stop: idleMs > stallMs / 2 ? 'no_progress' : null, idleMs }
}

export function toApiRun(row: SyncRunRow, now: Date, stallMs: number): ApiSyncRun {
  const end = row.finished_at ?? now
  const durationMs = Math.max(0, end.getTime() - row.started_at.getTime())
  const { stop, idleMs } = stopOf(row, now, stallMs)
  return {
    id: row.id,
    trigger: row.trigger,
    method: row.method,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs,
    recordsTotal: row.records_total,
    recordsFetched: row.records_fetched,
    recordsInserted: row.records_inserted,
    recordsUpdated: row.records_updated,
    recordsDeleted: row.records_deleted,
    recordsUnchanged: row.records_unchanged,
    apiCalls: row.api_calls,
    apiRemaining: row.api_remaining,
    apiMax: row.api_max,
    error: row.error_code
      ? { code: row.error_code, message: row.error_message ?? '', hint: row.error_hint }
      : null,
    stop,
    idleSeconds: idleMs === null ? null : Math.round(idleMs / 1000),
    lastPage: row.last_page,
    lastProgressAt: row.progress_at?.toISOString() ?? null,
    progress: row.status === 'running' && !stop ? progressOf(row, durationMs) : null,
  }
}

function progressOf(row: SyncRunRow, elapsedMs: number): NonNullable<ApiSyncRun['progress']> {
  const total = row.records_total
  const done = row.records_fetched
  const rate = elapsedMs > 1000 && done > 0 ? done / (elapsedMs / 1000) : null
  // Every record fetched is not the end: the run's later steps (deletes, team members, reconciliation) remain.
  const fetching = total !== null && done < total
  return {
    percent: total && total > 0 ? Math.min(99, Math.floor((done / total) * 1000) / 10) : null,
    recordsPerSecond: rate === null || !fetching ? null : Math.round(rate),
    secondsLeft: rate && total && fetching ? Math.round((total - done) / rate) : null,
  }
}

/** Failed runs in a row, newest first, when there are enough of them to need the admin's attention. */
function failingRuns(recent: SyncRunRow[]): SyncHealth['runsFailing'] {
  const streak = recent.findIndex((run) => run.status !== 'failed')
  const count = streak === -1 ? recent.length : streak
  const last = recent[0]
  if (count < FAILING_RUNS_FOR_ATTENTION || !last) return null
  const failed = recent.slice(0, count)
  const how = failed.every((run) => run.error_code === 'STALLED')
    ? 'stalled (no progress)'
    : failed.every((run) => run.error_code === 'WORKER_STOPPED')
      ? 'were interrupted'
      : 'failed'
  return {
    count,
    message: `The last ${count} sync runs ${how}; the cache is not being kept up to date.`,
    hint:
      last.error_hint ??
      'Open the Sync Log and look at the last run’s events; the next run resumes from the last saved page.',
  }
}

export function toSyncSettings(state: SyncStateRow, intervalMinutes: number): SyncSettings {
  return {
    intervalMinutes,
    apiBudgetRunPercent: state.api_budget_run_percent,
    apiBudgetDayPercent: state.api_budget_day_percent,
    bulkThreshold: state.bulk_threshold,
    reconcileEveryHours: state.reconcile_every_hours,
    logRetentionDays: state.log_retention_days,
    extraFields: state.extra_fields,
  }
}

export async function describeSyncHealth(deps: AppDeps): Promise<SyncHealth> {
  const connection = await findConnection(deps.db)
  const empty: SyncHealth = {
    configured: false,
    connectionStatus: null,
    statusReason: null,
    statusHint: null,
    lastSuccessAt: null,
    nextRunAt: null,
    pausedUntil: null,
    hiddenFields: [],
    currentRun: null,
    lastRun: null,
    runsFailing: null,
    settings: null,
  }
  if (!connection) return empty
  const state = await ensureSyncState(deps.db, connection.id)
  const now = deps.clock.now()
  const stallMs = deps.config.crm.syncStallMs
  const [current, recent] = await Promise.all([
    findRunningRun(deps.db, connection.id),
    findRecentFinishedRuns(deps.db, connection.id, 10),
  ])
  const last = recent[0]
  return {
    configured: true,
    connectionStatus: connection.status,
    statusReason: connection.status_reason,
    statusHint: connection.status_hint,
    lastSuccessAt: state.last_success_at?.toISOString() ?? null,
    nextRunAt: connection.status === 'healthy' ? (state.next_run_at?.toISOString() ?? null) : null,
    pausedUntil: state.paused_until?.toISOString() ?? null,
    hiddenFields: state.hidden_fields,
    currentRun: current ? toApiRun(current, now, stallMs) : null,
    lastRun: last ? toApiRun(last, now, stallMs) : null,
    runsFailing: failingRuns(recent),
    settings: toSyncSettings(state, connection.sync_interval_minutes),
  }
}
