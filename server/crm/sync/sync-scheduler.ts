// The scheduler: every tick it asks for a run for each healthy connection whose next run is due. It only
// decides *when*; the dispatcher decides *where* (this process or a pg-boss worker).
import { sql } from 'kysely'

import type { AppDeps } from '../../deps.js'
import type { SyncDispatcher } from './sync-dispatch.js'

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
    const due = await deps.db
      .selectFrom('crm_connections as c')
      .leftJoin('crm_sync_state as s', 's.connection_id', 'c.id')
      .select(['c.id', 's.connection_id as hasState'])
      .where('c.status', '=', 'healthy')
      .where((eb) => eb.or([eb('s.next_run_at', 'is', null), eb('s.next_run_at', '<=', now)]))
      .where((eb) => eb.or([eb('s.paused_until', 'is', null), eb('s.paused_until', '<=', now)]))
      .execute()
    for (const connection of due) {
      await dispatcher.dispatch(connection.id, connection.hasState ? 'scheduled' : 'initial')
    }
    // The Sync Log keeps runs for the retention the admin set (default 30 days).
    await sql`
      delete from crm_sync_runs r using crm_sync_state s
      where r.connection_id = s.connection_id and r.status <> 'running'
        and r.started_at < ${now.toISOString()}::timestamptz - make_interval(days => s.log_retention_days)`.execute(
      deps.db,
    )
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
