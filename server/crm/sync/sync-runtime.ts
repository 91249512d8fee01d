// Builds the sync machinery for a process: the dispatcher that fits the storage (in-process on PGlite,
// pg-boss on PostgreSQL), the recovery of dead runs and, for the server, the scheduler.
import type { AppDeps } from '../../deps.js'
import { recoverDeadRuns, startDeadRunRecovery } from './dead-runs.js'
import { createInProcessDispatcher, createPgBossDispatcher, type SyncDispatcher } from './sync-dispatch.js'
import type { SyncHooks } from './sync-run.js'
import { createSyncScheduler, type SyncScheduler } from './sync-scheduler.js'

export interface SyncRuntime {
  dispatcher: SyncDispatcher
  scheduler: SyncScheduler
  stop(): Promise<void>
}

export async function createSyncRuntime(deps: AppDeps, hooks: SyncHooks): Promise<SyncRuntime> {
  const storage = deps.config.storage
  let dispatcher: SyncDispatcher
  if (storage.kind === 'postgres') {
    const boss = await createPgBossDispatcher(deps, storage.url, hooks)
    // The server works jobs too, so one process is enough; `npm run worker` adds more hands.
    await boss.work()
    dispatcher = boss
  } else {
    dispatcher = createInProcessDispatcher(deps, hooks)
  }
  // Dead runs of earlier processes are ended at start-up and then every RECOVER_EVERY_MS, schedule or not.
  await recoverDeadRuns(deps, dispatcher)
  const stopRecovery = startDeadRunRecovery(deps, dispatcher)
  const scheduler = createSyncScheduler(deps, dispatcher)
  return {
    dispatcher,
    scheduler,
    stop: async () => {
      stopRecovery()
      scheduler.stop()
      await dispatcher.stop()
    },
  }
}
