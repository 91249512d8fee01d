import { sql, type Selectable, type Updateable } from 'kysely'

import type { CrmSyncRunTable, CrmSyncStateTable, SyncTrigger } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'

export type SyncRunRow = Selectable<CrmSyncRunTable>
export type SyncStateRow = Selectable<CrmSyncStateTable>

/**
 * A run whose process has not reported for this long is taken as dead (crash, kill -9, restart). A live run's
 * process beats every HEARTBEAT_MS whatever the run is waiting for (dead-runs.ts), so this is several beats.
 */
export const STALE_AFTER_MS = 45_000

export async function ensureSyncState(db: Db, connectionId: string): Promise<SyncStateRow> {
  await db
    .insertInto('crm_sync_state')
    .values({ connection_id: connectionId })
    .onConflict((oc) => oc.column('connection_id').doNothing())
    .execute()
  return db
    .selectFrom('crm_sync_state')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow()
}

/** The extra fields the admin asked for; undefined before the connection's first run. */
export async function readExtraFields(db: Db, connectionId: string): Promise<string[] | undefined> {
  const state = await db
    .selectFrom('crm_sync_state')
    .select('extra_fields')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst()
  return state?.extra_fields
}

export async function updateSyncState(
  db: Db,
  connectionId: string,
  changes: Updateable<CrmSyncStateTable>,
): Promise<void> {
  await db.updateTable('crm_sync_state').set(changes).where('connection_id', '=', connectionId).execute()
}

/** Marks runs whose heartbeat stopped as failed, so a new run can start and resume from the checkpoint. */
export async function failStaleRuns(
  db: Db,
  connectionId: string,
  now: Date,
  staleAfterMs = STALE_AFTER_MS,
): Promise<number> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set({
      status: 'failed',
      finished_at: now,
      error_code: 'WORKER_STOPPED',
      error_message: 'The process running this sync stopped (crash or restart) before it finished.',
      error_hint: 'Nothing is lost: the next run resumes from the last page that was saved.',
    })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', new Date(now.getTime() - staleAfterMs))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Embedded mode allows one process per data folder, so at start-up any run still marked running was cut off
 * by a crash or kill of the previous process: record that, so the next run can start and resume.
 */
export async function failInterruptedRuns(db: Db, now: Date): Promise<number> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set({
      status: 'failed',
      finished_at: now,
      error_code: 'WORKER_STOPPED',
      error_message: 'The server stopped (crash, kill or restart) while this sync was running.',
      error_hint: 'Nothing is lost: the next run resumes from the last page that was saved.',
    })
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export function findRunningRuns(db: Db, connectionId?: string): Promise<SyncRunRow[]> {
  let query = db.selectFrom('crm_sync_runs').selectAll().where('status', '=', 'running')
  if (connectionId) query = query.where('connection_id', '=', connectionId)
  return query.execute()
}

/** Ends a run found dead (its process is gone); false when it had already ended. */
export async function failDeadRun(db: Db, runId: number, now: Date, why: string): Promise<boolean> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set({
      status: 'failed',
      finished_at: now,
      error_code: 'WORKER_STOPPED',
      error_message: `Interrupted: ${why}`,
      error_hint: 'Nothing is lost: the next run resumes from the last page that was saved.',
    })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The process-alive heartbeat; false when the run is no longer running (another process ended it). */
export async function touchRun(db: Db, runId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set({ heartbeat_at: now })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export type ClaimResult = { claimed: true; run: SyncRunRow } | { claimed: false; running: SyncRunRow }

/**
 * Starts a run unless one is running for this connection, in this process or any other: the partial unique
 * index crm_sync_runs_one_running lets exactly one insert win.
 */
export async function claimRun(
  db: Db,
  connectionId: string,
  trigger: SyncTrigger,
  worker: string,
  now: Date,
  staleAfterMs = STALE_AFTER_MS,
  jobId: string | null = null,
): Promise<ClaimResult> {
  await failStaleRuns(db, connectionId, now, staleAfterMs)
  const inserted = await sql<SyncRunRow>`
    insert into crm_sync_runs (connection_id, trigger, status, started_at, heartbeat_at, worker, job_id)
    values (${connectionId}, ${trigger}, 'running', ${now.toISOString()}, ${now.toISOString()}, ${worker}, ${jobId})
    on conflict (connection_id) where status = 'running' do nothing
    returning *`.execute(db)
  const run = inserted.rows[0]
  if (run) return { claimed: true, run }
  const running = await findRunningRun(db, connectionId)
  if (!running) return claimRun(db, connectionId, trigger, worker, now, staleAfterMs, jobId)
  return { claimed: false, running }
}

export function findRunningRun(db: Db, connectionId: string): Promise<SyncRunRow | undefined> {
  return db
    .selectFrom('crm_sync_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'running')
    .executeTakeFirst()
}

export function findRun(db: Db, runId: number): Promise<SyncRunRow | undefined> {
  return db.selectFrom('crm_sync_runs').selectAll().where('id', '=', runId).executeTakeFirst()
}

export async function updateRun(db: Db, runId: number, changes: Updateable<CrmSyncRunTable>): Promise<void> {
  await db.updateTable('crm_sync_runs').set(changes).where('id', '=', runId).execute()
}

/** A committed page's progress, in the page's transaction; false when the run is no longer running. */
export async function recordPage(db: Db, runId: number, page: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set({ last_page: page, progress_at: now })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The move out of running; false when the run had already ended (another process found it dead). */
export async function endRun(db: Db, runId: number, changes: Updateable<CrmSyncRunTable>): Promise<boolean> {
  const result = await db
    .updateTable('crm_sync_runs')
    .set(changes)
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function addRunEvent(
  db: Db,
  runId: number,
  level: 'info' | 'warning' | 'error',
  message: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insertInto('crm_sync_events')
    .values({ run_id: runId, level, message, details: JSON.stringify(details) })
    .execute()
}

/** API calls this module's runs made in the last 24 hours (the daily budget is a share of the org's allowance). */
export async function apiCallsSince(db: Db, connectionId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('crm_sync_runs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('api_calls'), sql<number>`0`).as('calls'))
    .where('connection_id', '=', connectionId)
    .where('started_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.calls)
}

export async function deleteOldRuns(db: Db, connectionId: string, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('crm_sync_runs')
    .where('connection_id', '=', connectionId)
    .where('started_at', '<', before)
    .where('status', '!=', 'running')
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
