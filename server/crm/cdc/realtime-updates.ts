// Real-time updates in a running process (server or `npm run worker`): the change-stream supervisor with the
// locks that fit the storage. PostgreSQL: session advisory locks on their own connection, so any number of
// processes may run this and exactly one streams each connection; when it dies another takes over at its next
// try. PGlite: one process owns the data folder, so the lock is always this process's.
import type { AppDeps } from '../../deps.js'
import { inProcessLocks, postgresLocks } from '../../storage/advisory-locks.js'
import type { SyncDispatcher } from '../sync/sync-dispatch.js'
import { startCdcRuntime, type CdcRuntime } from './cdc-runtime.js'
import type { CdcHooks } from './cdc-subscriber.js'

export interface RealtimeOptions {
  tickMs?: number | undefined
  hooks?: CdcHooks | undefined
}

export function startRealtimeUpdates(
  deps: AppDeps,
  dispatcher: SyncDispatcher,
  options: RealtimeOptions = {},
): Pick<CdcRuntime, 'tick' | 'stop'> {
  const storage = deps.config.storage
  const locks =
    storage.kind === 'postgres'
      ? postgresLocks(storage.url, (err) => deps.log.warn({ err }, 'change stream lock connection lost'))
      : inProcessLocks()
  const runtime = startCdcRuntime(deps, locks, {
    // The stream asks for a sync after an overflow or a lost position; the queue decides who runs it.
    requestSync: async (connectionId) => void (await dispatcher.dispatch(connectionId, 'scheduled')),
    hooks: options.hooks,
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
  })
  return {
    tick: () => runtime.tick(),
    stop: async () => {
      await runtime.stop()
      await locks.close()
    },
  }
}
