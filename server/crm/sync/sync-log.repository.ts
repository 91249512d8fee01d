// The Sync Log's reads: pages of runs, a run's events, the last finished run, and the retention sweep.
import { sql } from 'kysely'

import type { SyncRunStatus } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'
import type { SyncRunRow } from './sync-runs.repository.js'

export interface RunPageQuery {
  limit: number
  before?: number | undefined
  status?: SyncRunStatus | undefined
}

/** Newest first; one row more than `limit` when there is a next page. */
export function listRuns(db: Db, connectionId: string, query: RunPageQuery): Promise<SyncRunRow[]> {
  let select = db
    .selectFrom('crm_sync_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (query.before) select = select.where('id', '<', query.before)
  if (query.status) select = select.where('status', '=', query.status)
  return select.execute()
}

export function findRunEvents(db: Db, runId: number, limit: number) {
  return db
    .selectFrom('crm_sync_events')
    .select(['id', 'at', 'level', 'message', 'details'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** The last `limit` finished runs, newest first. */
export function findRecentFinishedRuns(db: Db, connectionId: string, limit: number): Promise<SyncRunRow[]> {
  return db
    .selectFrom('crm_sync_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('status', '!=', 'running')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The Sync Log keeps runs for the retention each connection's admin set (default 30 days). */
export async function deleteExpiredRuns(db: Db, now: Date): Promise<void> {
  await sql`
    delete from crm_sync_runs r using crm_sync_state s
    where r.connection_id = s.connection_id and r.status <> 'running'
      and r.started_at < ${now.toISOString()}::timestamptz - make_interval(days => s.log_retention_days)`.execute(
    db,
  )
}

/** Healthy connections whose next run is due and that are not paused; `hasState` is null before the first run. */
export function findDueConnections(db: Db, now: Date) {
  return (
    db
      .selectFrom('crm_connections as c')
      .leftJoin('crm_sync_state as s', 's.connection_id', 'c.id')
      .select(['c.id', 's.connection_id as hasState'])
      .where('c.status', '=', 'healthy')
      .where((eb) => eb.or([eb('s.next_run_at', 'is', null), eb('s.next_run_at', '<=', now)]))
      .where((eb) => eb.or([eb('s.paused_until', 'is', null), eb('s.paused_until', '<=', now)]))
      // Never behind a running run (the initial sync above all, before its end sets the next run): pg-boss would
      // queue the job and start it the moment the running one ends.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('crm_sync_runs as r')
              .select('r.id')
              .whereRef('r.connection_id', '=', 'c.id')
              .where('r.status', '=', 'running'),
          ),
        ),
      )
      .execute()
  )
}
