// The Sync Log as admins read it: runs with their counts, progress of the running one, and the settings.
import type { ApiSyncRun, SyncHealth, SyncSettings } from '../../../contracts/api/sync.api.js'
import type { AppDeps } from '../../deps.js'
import { findConnection } from '../connection/connection.repository.js'
import { findLastFinishedRun } from './sync-log.repository.js'
import {
  ensureSyncState,
  findRunningRun,
  type SyncRunRow,
  type SyncStateRow,
} from './sync-runs.repository.js'

export function toApiRun(row: SyncRunRow, now: Date): ApiSyncRun {
  const end = row.finished_at ?? now
  const durationMs = Math.max(0, end.getTime() - row.started_at.getTime())
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
    progress: row.status === 'running' ? progressOf(row, durationMs) : null,
  }
}

function progressOf(row: SyncRunRow, elapsedMs: number): NonNullable<ApiSyncRun['progress']> {
  const total = row.records_total
  const done = row.records_fetched
  const rate = elapsedMs > 1000 && done > 0 ? done / (elapsedMs / 1000) : null
  return {
    percent:
      total && total > 0 ? Math.min(100, Math.round((done / total) * 1000) / 10) : total === 0 ? 100 : null,
    recordsPerSecond: rate === null ? null : Math.round(rate),
    secondsLeft: rate && total ? Math.max(0, Math.round((total - done) / rate)) : null,
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
    settings: null,
  }
  if (!connection) return empty
  const state = await ensureSyncState(deps.db, connection.id)
  const now = deps.clock.now()
  const [current, last] = await Promise.all([
    findRunningRun(deps.db, connection.id),
    findLastFinishedRun(deps.db, connection.id),
  ])
  return {
    configured: true,
    connectionStatus: connection.status,
    statusReason: connection.status_reason,
    statusHint: connection.status_hint,
    lastSuccessAt: state.last_success_at?.toISOString() ?? null,
    nextRunAt: connection.status === 'healthy' ? (state.next_run_at?.toISOString() ?? null) : null,
    pausedUntil: state.paused_until?.toISOString() ?? null,
    hiddenFields: state.hidden_fields,
    currentRun: current ? toApiRun(current, now) : null,
    lastRun: last ? toApiRun(last, now) : null,
    settings: toSyncSettings(state, connection.sync_interval_minutes),
  }
}
