// Watches a run while it lasts, apart from the process-alive heartbeat (dead-runs.ts): a run that makes no
// progress (no committed page and no answer from Salesforce) for CRM_SYNC_STALL_MS is stopped as stalled, and
// a run whose heartbeat finds it ended by another process (found dead after a long stall of this one) is
// stopped as lost instead of running on as a ghost. Stopping rejects `stopped` (the run races its steps against
// it) and makes `check()` throw, which the steps call before they write, so a step still waiting on a call
// writes nothing once it returns.
import type { AppDeps } from '../../deps.js'
import { startHeartbeat } from './dead-runs.js'

export class RunStopped extends Error {
  override readonly name = 'RunStopped'
  constructor(
    readonly reason: 'stalled' | 'lost',
    message: string,
    readonly idleMs = 0,
  ) {
    super(message)
  }
}

export interface RunWatch {
  /** A page was committed or Salesforce answered: the run is moving. */
  progressed(): void
  /** Throws the RunStopped once the run was stopped. */
  check(): void
  /** Rejects with RunStopped when the run stalls or its heartbeat is lost; never resolves. */
  readonly stopped: Promise<never>
  stop(): void
}

export function startRunWatch(deps: AppDeps, runId: number, stallMs: number): RunWatch {
  let lastProgress = Date.now()
  let reason: RunStopped | undefined
  let reject: (err: RunStopped) => void = () => undefined
  const stopped = new Promise<never>((_resolve, fail) => (reject = fail))
  // Nobody may be racing against it any more when it rejects (the run already ended).
  stopped.catch(() => undefined)
  const end = (err: RunStopped) => {
    if (reason) return
    reason = err
    reject(err)
  }
  const heartbeat = startHeartbeat(deps, runId, () =>
    end(new RunStopped('lost', 'Another process ended this run (it had stopped reporting).')),
  )
  const timer = setInterval(
    () => {
      const idleMs = Date.now() - lastProgress
      if (idleMs < stallMs) return
      end(
        new RunStopped(
          'stalled',
          `Stalled: no progress for ${Math.round(idleMs / 1000)} s (no page saved and no answer from Salesforce).`,
          idleMs,
        ),
      )
    },
    Math.max(50, Math.min(stallMs / 4, 5_000)),
  )
  timer.unref()
  return {
    progressed: () => {
      lastProgress = Date.now()
    },
    check: () => {
      if (reason) throw reason
    },
    stopped,
    stop: () => {
      clearInterval(timer)
      heartbeat.stop()
    },
  }
}
