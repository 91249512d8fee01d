// A run's states and the moves between them. A run is claimed as `running` (sync-runs.repository.ts claimRun)
// and ends exactly once:
//   running → succeeded   every step done
//   running → partial     the run's API budget is used up; the next run resumes from the last saved page
//   running → paused      the org's API limit is reached; no run until PAUSE_AFTER_LIMIT_MS has passed
//   running → failed      anything else, with the cause and a hint; also stale-run recovery: a run whose
//                         heartbeat stopped (failStaleRuns) or that was running when its process died
//                         (failInterruptedRuns) becomes failed with WORKER_STOPPED; a run with no progress
//                         for CRM_SYNC_STALL_MS (run-watch.ts) becomes failed with STALLED
// The end states are final. The repository writes every move with `where status = 'running'`.
import { ApiBudgetExhausted } from '../../providers/crm-provider.js'
import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { isSalesforceError, type SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { SyncRunStatus } from '../../storage/database.js'
import { ConnectionUnavailableError } from '../connection/crm-session.js'
import { RunStopped } from './run-watch.js'

export const RUN_TRANSITIONS = {
  running: ['succeeded', 'partial', 'paused', 'failed'],
  succeeded: [],
  partial: [],
  paused: [],
  failed: [],
} as const satisfies Record<SyncRunStatus, readonly SyncRunStatus[]>

/** How a run ends (the states running may move to). */
export type RunStatus = (typeof RUN_TRANSITIONS)['running'][number]

export function canMove(from: SyncRunStatus, to: SyncRunStatus): boolean {
  return (RUN_TRANSITIONS[from] as readonly SyncRunStatus[]).includes(to)
}

/** After the org's API limit, the connection rests this long before the next run. */
export const PAUSE_AFTER_LIMIT_MS = 60 * 60_000

export interface RunError {
  code: string
  message: string
  hint: string
}

/** Where a run goes and what it records on the way: the end state, the event to log, the error to show. */
export interface RunEnd {
  status: RunStatus
  event?: { level: 'warning' | 'error'; message: string; details?: Record<string, unknown> }
  error?: RunError
  /** Not a Salesforce answer nor a known stop: logged as a bug. */
  unexpected?: boolean
}

/** The end a run takes for a failure thrown by any step. */
export function endForFailure(err: unknown): RunEnd {
  if (err instanceof ApiBudgetExhausted) {
    return {
      status: 'partial',
      event: {
        level: 'warning',
        message:
          'The API budget for this run is used up; stopping here. The next run resumes from the last saved page.',
      },
      error: {
        code: 'API_BUDGET_REACHED',
        message: 'Stopped at the API budget set for the sync.',
        hint: 'Raise the budget share in the sync settings, or let the next runs continue.',
      },
    }
  }
  if (err instanceof RunStopped) {
    return {
      status: 'failed',
      event: { level: 'error', message: err.message, details: { idleMs: err.idleMs } },
      error: {
        code: 'STALLED',
        message: err.message,
        hint: 'Nothing is lost: the next run resumes from the last saved page. If runs keep stalling, check Salesforce (https://status.salesforce.com) and the network between this server and Salesforce.',
      },
    }
  }
  if (err instanceof ConnectionUnavailableError) {
    return {
      status: 'failed',
      event: { level: 'error', message: err.message },
      error: { code: 'CONNECTION_NEEDS_ATTENTION', message: err.message, hint: err.hint },
    }
  }
  const error: SalesforceError = isSalesforceError(err) ? err : toSalesforceError(err)
  const unexpected = !isSalesforceError(err)
  if (error.kind === 'request_limit_exceeded') {
    return {
      status: 'paused',
      event: { level: 'error', message: error.message },
      error: {
        code: error.salesforceCode ?? 'REQUEST_LIMIT_EXCEEDED',
        message: error.message,
        hint: error.hint,
      },
      unexpected,
    }
  }
  return {
    status: 'failed',
    event: {
      level: 'error',
      message: error.message,
      details: { kind: error.kind, salesforceCode: error.salesforceCode ?? null },
    },
    error: {
      code: error.salesforceCode ?? error.kind.toUpperCase(),
      message: error.message,
      hint: error.hint,
    },
    unexpected,
  }
}
