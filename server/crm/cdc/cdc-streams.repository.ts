// The change stream's rows: its switch and position (crm_cdc_streams) and its own event log (crm_cdc_events).
import { sql, type Selectable, type Updateable } from 'kysely'

import type { CrmCdcStreamTable } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'

export type CdcStreamRow = Selectable<CrmCdcStreamTable>

const EVENTS_KEPT = 200

export function findStream(db: Db, connectionId: string): Promise<CdcStreamRow | undefined> {
  return db
    .selectFrom('crm_cdc_streams')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .executeTakeFirst()
}

export async function setStreamEnabled(db: Db, connectionId: string, enabled: boolean): Promise<void> {
  await db
    .insertInto('crm_cdc_streams')
    .values({ connection_id: connectionId, enabled, state: 'off' })
    .onConflict((oc) => oc.column('connection_id').doUpdateSet({ enabled }))
    .execute()
}

export async function updateStream(
  db: Db,
  connectionId: string,
  values: Updateable<CrmCdcStreamTable>,
): Promise<void> {
  await db.updateTable('crm_cdc_streams').set(values).where('connection_id', '=', connectionId).execute()
}

/** Healthy connections whose stream is switched on (the subscribers this process may run). */
export function findEnabledStreams(db: Db): Promise<Array<{ connection_id: string }>> {
  return db
    .selectFrom('crm_cdc_streams as s')
    .innerJoin('crm_connections as c', 'c.id', 's.connection_id')
    .select('s.connection_id')
    .where('s.enabled', '=', true)
    .where('c.status', '=', 'healthy')
    .execute()
}

/**
 * Records one applied batch in the caller's transaction (the one that wrote the cache): the position to
 * resume after, how many events were applied, and when the newest was committed in the CRM.
 */
export async function commitStreamPosition(
  trx: Db,
  connectionId: string,
  batch: {
    position: string
    applied: number
    lastCommitAt: Date | undefined
    now: Date
    syncRequested: boolean
  },
): Promise<void> {
  await trx
    .updateTable('crm_cdc_streams')
    .set((eb) => ({
      replay_id: batch.position,
      heartbeat_at: batch.now,
      events_applied: eb('events_applied', '+', batch.applied),
      ...(batch.applied > 0 ? { last_event_at: batch.now } : {}),
      ...(batch.lastCommitAt ? { last_commit_at: batch.lastCommitAt } : {}),
      ...(batch.syncRequested ? { sync_requested_at: batch.now } : {}),
    }))
    .where('connection_id', '=', connectionId)
    .execute()
}

/**
 * Connections whose scheduled polling waits while their stream is healthy: connected, heard from within
 * `aliveMs`, no sync asked for by the stream since the last successful one, which is recent (`slowMs`).
 */
export async function findSlowedPolling(
  db: Db,
  now: Date,
  aliveMs: number,
  slowMs: number,
): Promise<Set<string>> {
  const rows = await sql<{ connection_id: string }>`
    select s.connection_id from crm_cdc_streams s
    join crm_sync_state y on y.connection_id = s.connection_id
    where s.enabled and s.state = 'connected'
      and s.heartbeat_at > ${new Date(now.getTime() - aliveMs).toISOString()}::timestamptz
      and y.last_success_at > ${new Date(now.getTime() - slowMs).toISOString()}::timestamptz
      and (s.sync_requested_at is null or y.last_success_at > s.sync_requested_at)`.execute(db)
  return new Set(rows.rows.map((row) => row.connection_id))
}

export async function addStreamEvent(
  db: Db,
  connectionId: string,
  event: { level: 'info' | 'warning' | 'error'; message: string; hint?: string | undefined; at: Date },
): Promise<void> {
  await db
    .insertInto('crm_cdc_events')
    .values({
      connection_id: connectionId,
      at: event.at,
      level: event.level,
      message: event.message,
      hint: event.hint ?? null,
    })
    .execute()
  await sql`delete from crm_cdc_events where connection_id = ${connectionId} and id <= (
      select id from crm_cdc_events where connection_id = ${connectionId} order by id desc offset ${EVENTS_KEPT} limit 1)`.execute(
    db,
  )
}

export function listStreamEvents(db: Db, connectionId: string, limit: number) {
  return db
    .selectFrom('crm_cdc_events')
    .select(['id', 'at', 'level', 'message', 'hint'])
    .where('connection_id', '=', connectionId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
