// Dead runs are recovered at once, not when the schedule next fires: at start-up, on a timer of its own and
// whenever Start Sync finds a running run. A run is dead when its process is gone (same host: no such pid; any
// host: no heartbeat for STALE_AFTER_MS, while a live process beats every HEARTBEAT_MS whatever it is waiting
// for). A dead run is marked failed ("interrupted") and its pg-boss job failed, so the queue's one active job
// per connection does not wait for pg-boss's 15-minute expiry and a new run can start straight away.
import { hostname } from 'node:os'

import type { AppDeps } from '../../deps.js'
import {
  failDeadRun,
  findRunningRuns,
  STALE_AFTER_MS,
  touchRun,
  type SyncRunRow,
} from './sync-runs.repository.js'

export const HEARTBEAT_MS = 10_000
/** How often each process looks for dead runs, independent of the sync schedule. */
export const RECOVER_EVERY_MS = 15_000

/** This process, as crm_sync_runs.worker names it. */
export const WORKER = `${hostname()}:${process.pid}`

/** Something that can let go of the queue jobs of dead runs (the pg-boss dispatcher). */
export interface JobReleaser {
  releaseJobs?(jobIds: string[]): Promise<void>
}

/** True when `worker` ran on this host as another process that no longer exists. */
export function isWorkerGone(worker: string | null): boolean {
  if (!worker) return false
  const colon = worker.lastIndexOf(':')
  const host = worker.slice(0, colon)
  const pid = Number(worker.slice(colon + 1))
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    // EPERM: the pid exists (another user's process); only ESRCH says it is gone.
    return err instanceof Error && 'code' in err && err.code === 'ESRCH'
  }
}

function deathOf(run: SyncRunRow, now: Date, staleAfterMs: number): string | undefined {
  if (isWorkerGone(run.worker)) return `the process running this sync (${run.worker}) is gone.`
  const silentMs = now.getTime() - new Date(run.heartbeat_at).getTime()
  if (silentMs > staleAfterMs)
    return `the process running this sync (${run.worker ?? 'unknown'}) stopped reporting ${Math.round(silentMs / 1000)} s ago (crash, kill or restart).`
  return undefined
}

/** Ends every dead run (of one connection, or all) and releases their jobs; returns the runs it ended. */
export async function recoverDeadRuns(
  deps: AppDeps,
  releaser: JobReleaser,
  options: { connectionId?: string | undefined; staleAfterMs?: number | undefined } = {},
): Promise<SyncRunRow[]> {
  const now = deps.clock.now()
  const ended: SyncRunRow[] = []
  for (const run of await findRunningRuns(deps.db, options.connectionId)) {
    const why = deathOf(run, now, options.staleAfterMs ?? STALE_AFTER_MS)
    if (why && (await failDeadRun(deps.db, run.id, now, why))) ended.push(run)
  }
  const jobIds = ended.flatMap((run) => (run.job_id ? [run.job_id] : []))
  if (jobIds.length > 0) await releaser.releaseJobs?.(jobIds)
  if (ended.length > 0)
    deps.log.warn(
      { runs: ended.map((run) => run.id), jobIds },
      'dead sync runs recovered; the next run resumes from their checkpoint',
    )
  return ended
}

/** Looks for dead runs every RECOVER_EVERY_MS until stopped. */
export function startDeadRunRecovery(deps: AppDeps, releaser: JobReleaser): () => void {
  const timer = setInterval(() => {
    recoverDeadRuns(deps, releaser).catch((err: unknown) =>
      deps.log.warn({ err }, 'looking for dead sync runs failed'),
    )
  }, RECOVER_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Beats for a run while it lasts. `onLost` is called once when the run was ended by another process (found dead
 * after a long stall of this one); run-watch.ts then stops the run instead of letting it run on as a ghost.
 */
export function startHeartbeat(deps: AppDeps, runId: number, onLost: () => void): { stop(): void } {
  let lost = false
  const timer = setInterval(() => {
    touchRun(deps.db, runId, deps.clock.now()).then(
      (running) => {
        if (running || lost) return
        lost = true
        onLost()
      },
      (err: unknown) => deps.log.warn({ err, runId }, 'sync heartbeat failed'),
    )
  }, HEARTBEAT_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
