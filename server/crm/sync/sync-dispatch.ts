// Where runs execute. Embedded mode (PGlite): in this process. PostgreSQL mode: through pg-boss, so the server
// and any `npm run worker` processes share the work; the queue's `stately` policy keeps at most one queued and
// one active job per connection (singletonKey), and the crm_sync_runs_one_running index is the final guard.
import PgBoss from 'pg-boss'
import { z } from 'zod'

import { syncTriggers } from '../../../contracts/api/sync.api.js'
import type { AppDeps } from '../../deps.js'
import type { SyncTrigger } from '../../storage/database.js'
import type { JobReleaser } from './dead-runs.js'
import type { SyncTuning } from './sync-context.js'
import { runSync, type SyncHooks } from './sync-run.js'
import type { ClaimResult, SyncRunRow } from './sync-runs.repository.js'

/**
 * What a dispatch knows when it returns: the run this process claimed (or found already running), or
 * undefined when the run is only queued (pg-boss: a worker claims it when it takes the job).
 */
export type Dispatched = { run: SyncRunRow; alreadyRunning: boolean } | undefined

export interface SyncDispatcher extends JobReleaser {
  /** Asks for a run; returns as soon as the run is claimed or queued, not when it ends. */
  dispatch(connectionId: string, trigger: SyncTrigger): Promise<Dispatched>
  /** Stops taking work and waits for runs of this process to reach a safe point. */
  stop(): Promise<void>
}

const QUEUE = 'crm-sync'
const JobSchema = z.object({
  connectionId: z.uuid(),
  trigger: z.enum(syncTriggers),
})

export function createInProcessDispatcher(deps: AppDeps, hooks: SyncHooks): SyncDispatcher {
  const active = new Set<Promise<unknown>>()
  let stopped = false
  return {
    dispatch: (connectionId, trigger) =>
      new Promise<Dispatched>((resolve) => {
        if (stopped) return resolve(undefined)
        // Resolves at the claim with the run claimed or found running (the run goes on in the background),
        // or when the run crashed before a claim.
        const onClaim = (claim: ClaimResult) =>
          resolve(
            claim.claimed
              ? { run: claim.run, alreadyRunning: false }
              : { run: claim.running, alreadyRunning: true },
          )
        const run = runSync(deps, connectionId, trigger, { hooks, onClaim })
          .catch((err: unknown) => {
            deps.log.error({ err, connectionId }, 'sync run crashed')
            resolve(undefined)
          })
          .finally(() => active.delete(run))
        active.add(run)
      }),
    stop: async () => {
      stopped = true
      await Promise.race([
        Promise.allSettled([...active]),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ])
    },
  }
}

export interface BossDispatcher extends SyncDispatcher {
  /** Starts taking jobs in this process (the server does; so does each `npm run worker`). */
  work(): Promise<void>
}

export async function createPgBossDispatcher(
  deps: AppDeps,
  connectionString: string,
  hooks: SyncHooks,
  /** Tests' small pages; production runs use DEFAULT_TUNING. */
  tuning?: Partial<SyncTuning>,
): Promise<BossDispatcher> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4 })
  boss.on('error', (err) => deps.log.warn({ err }, 'pg-boss error'))
  await boss.start()
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'stately' })
  return {
    dispatch: async (connectionId, trigger) => {
      await boss.send(QUEUE, { connectionId, trigger }, { singletonKey: connectionId, retryLimit: 0 })
      return undefined
    },
    work: async () => {
      await boss.work(QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
        const parsed = JobSchema.safeParse(job?.data)
        if (!parsed.success) {
          deps.log.error({ jobId: job?.id }, 'ignoring a malformed sync job')
          return
        }
        await runSync(deps, parsed.data.connectionId, parsed.data.trigger, {
          hooks,
          jobId: job?.id ?? '',
          ...(tuning ? { tuning } : {}),
        })
      })
    },
    // The jobs of runs found dead: failed now, so the queue's active slot for the connection is free again.
    releaseJobs: async (jobIds) => {
      for (const id of jobIds) await boss.fail(QUEUE, id, { reason: 'the process running this sync is gone' })
    },
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 5000 })
    },
  }
}
