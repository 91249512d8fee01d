// The scheduler: every tick it asks for a run for each healthy connection whose next run is due. It only
// decides *when*; the dispatcher decides *where* (this process or a pg-boss worker).
import type { AppDeps } from '../../deps.js'
import { findSlowedPolling } from '../cdc/cdc-streams.repository.js'
import type { SyncDispatcher } from './sync-dispatch.js'
import { deleteExpiredRuns, findDueConnections } from './sync-log.repository.js'

export const TICK_MS = 15_000

export interface SyncScheduler {
  start(): void
  stop(): void
  /** One scheduling pass (exported for tests and for start-up). */
  tick(): Promise<void>
}

export function createSyncScheduler(deps: AppDeps, dispatcher: SyncDispatcher): SyncScheduler {
  let timer: NodeJS.Timeout | undefined
  const tick = async () => {
    const now = deps.clock.now()
    const due = await findDueConnections(deps.db, now)
    // While a connection's change stream is healthy, polling is only the safety net: it runs every
    // CDC_HEALTHY_SYNC_MINUTES (or when the stream asked for a sync) instead of on the connection's schedule.
    const { idleTimeoutMs, healthySyncMinutes } = deps.config.crm.pubSub
    const slowed = await findSlowedPolling(deps.db, now, idleTimeoutMs + 60_000, healthySyncMinutes * 60_000)
    for (const connection of due) {
      if (slowed.has(connection.id)) continue
      await dispatcher.dispatch(connection.id, connection.hasState ? 'scheduled' : 'initial')
    }
    await deleteExpiredRuns(deps.db, now)
  }
  return {
    tick,
    start: () => {
      const loop = () => {
        tick()
          .catch((err: unknown) => deps.log.warn({ err }, 'sync scheduler tick failed'))
          .finally(() => {
            if (timer) timer = setTimeout(loop, TICK_MS)
          })
      }
      timer = setTimeout(loop, 1000)
    },
    stop: () => {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
