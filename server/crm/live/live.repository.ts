// The live events' SQL (migration 2026_12_02_0701). Who receives an event is decided here, when it is sent:
// one statement per batch pairs the new events with the listening users who may see them now, so an
// unassigned member or a deactivated user receives nothing more, whichever process made the change.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

export interface LiveEventRow {
  id: number
  kind: 'feed' | 'notifications' | 'membership' | 'opportunity'
  opportunity_id: string | null
  post_id: string | null
}

export interface DeliveryRow extends LiveEventRow {
  user_id: string
}

/** The newest event id (0 when there is none). */
export async function newestEventId(db: Db): Promise<number> {
  const { rows } = await sql<{ id: number | null }>`select max(id) as id from crm_live_events`.execute(db)
  return rows[0]?.id ?? 0
}

/** The oldest event still kept (undefined when there is none). */
export async function oldestEventId(db: Db): Promise<number | undefined> {
  const { rows } = await sql<{ id: number | null }>`select min(id) as id from crm_live_events`.execute(db)
  return rows[0]?.id ?? undefined
}

/** Committed events after `afterId`, oldest first. */
export async function readEventsAfter(db: Db, afterId: number, limit: number): Promise<LiveEventRow[]> {
  const { rows } = await sql<LiveEventRow>`
    select id, kind, opportunity_id, post_id from crm_live_events
    where id > ${afterId} order by id limit ${limit}`.execute(db)
  return rows
}

/**
 * Which of the events each of the users may receive now: their own (bell, membership), or about an
 * opportunity they are a member of; admins see every opportunity. Inactive users receive nothing.
 */
export async function deliveries(
  db: Db,
  eventIds: readonly number[],
  userIds: readonly string[],
): Promise<DeliveryRow[]> {
  if (eventIds.length === 0 || userIds.length === 0) return []
  const { rows } = await sql<DeliveryRow>`
    select e.id, e.kind, e.opportunity_id, e.post_id, u.id as user_id
    from crm_live_events e
    join users u on u.id = any(${[...userIds]}::uuid[]) and u.is_active
    where e.id = any(${[...eventIds]}::bigint[])
      and (e.user_id = u.id
        or (e.user_id is null and (u.role = 'admin' or exists (
          select 1 from crm_opportunity_members m
          where m.opportunity_id = e.opportunity_id and m.user_id = u.id))))
    order by e.id`.execute(db)
  return rows
}

/** Forgets events older than `before`: a browser away that long gets a reset instead of a replay. */
export async function pruneEvents(db: Db, before: Date): Promise<void> {
  await sql`delete from crm_live_events where created_at < ${before}`.execute(db)
}
