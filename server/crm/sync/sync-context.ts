// What one run carries around: its row id, the connection, the CRM session, counters, and how it reports
// progress and events. Kept in one place so the steps (pages, deletes, related records, reconcile) stay plain
// functions.
import type { AppDeps } from '../../deps.js'
import type { CrmSession } from '../../providers/crm-provider.js'
import type { RunWatch } from './run-watch.js'
import { addRunEvent, updateRun } from './sync-runs.repository.js'

export interface SyncTuning {
  /** Re-read this far behind the high-water mark: records committed late with an earlier SystemModstamp are not missed. */
  overlapMs: number
  batchSize: number
  bulkMaxRecords: number
  bulkPollIntervalMs: number
  sleep: (ms: number) => Promise<void>
  random: () => number
  retryAttempts: number
  retryBaseDelayMs: number
}

export const DEFAULT_TUNING: SyncTuning = {
  overlapMs: 5 * 60_000,
  batchSize: 2000,
  bulkMaxRecords: 5_000,
  bulkPollIntervalMs: 2000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  retryAttempts: 5,
  retryBaseDelayMs: 500,
}

export interface RunCounters {
  fetched: number
  inserted: number
  updated: number
  deleted: number
  unchanged: number
}

/** Records a run's progress and events; exists before Salesforce is reached, so failures are logged too. */
export interface RunRecorder {
  readonly runId: number
  /** The one mutable part of a run: the counts its steps add to, saved with each progress report. */
  readonly counters: RunCounters
  /** Records the run's counters and heartbeat; called after every committed page. */
  saveProgress(extra?: { total?: number; method?: 'rest' | 'bulk' }): Promise<void>
  event(
    level: 'info' | 'warning' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ): Promise<void>
}

/** What every step of a run reads; built once the CRM session is open and frozen (steps never change it). */
export interface RunContext extends RunRecorder {
  readonly deps: AppDeps
  readonly tuning: SyncTuning
  readonly connectionId: string
  readonly client: CrmSession
  readonly startedAt: Date
  /** The connection's "Cache data locally" switch when the run started. */
  readonly cacheLocally: boolean
  /** Told of each committed page; `check()` throws once the run was stopped (stalled or lost). */
  readonly watch: Pick<RunWatch, 'progressed' | 'check'>
}

/**
 * The recorder of run `runId`. Once the session is open, the run makes a second one over the same counters
 * with `client`, whose call count and usage then go into progress too.
 */
export function createRecorder(
  deps: AppDeps,
  runId: number,
  counters: RunCounters = { fetched: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0 },
  client?: CrmSession,
): RunRecorder {
  return {
    runId,
    counters,
    saveProgress: (extra = {}) => {
      const usage = client?.usage
      return updateRun(deps.db, runId, {
        heartbeat_at: deps.clock.now(),
        records_fetched: counters.fetched,
        records_inserted: counters.inserted,
        records_updated: counters.updated,
        records_deleted: counters.deleted,
        records_unchanged: counters.unchanged,
        api_calls: client?.calls ?? 0,
        ...(usage ? { api_remaining: usage.limit - usage.used, api_max: usage.limit } : {}),
        ...(extra.total !== undefined ? { records_total: extra.total } : {}),
        ...(extra.method ? { method: extra.method } : {}),
      })
    },
    event: (level, message, details) => addRunEvent(deps.db, runId, level, message, details),
  }
}

export function createRunContext(
  deps: AppDeps,
  recorder: RunRecorder,
  fields: {
    tuning: SyncTuning
    connectionId: string
    client: CrmSession
    startedAt: Date
    cacheLocally: boolean
    watch: Pick<RunWatch, 'progressed' | 'check'>
  },
): RunContext {
  return Object.freeze({
    ...createRecorder(deps, recorder.runId, recorder.counters, fields.client),
    deps,
    ...fields,
  })
}
