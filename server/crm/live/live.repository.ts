// The live events' SQL (migration 2026_12_02_0701). Who receives an event is decided here, when it is sent:
// one statement per batch pairs the new events with the listening users who may see them now, so an
// unassigned member or a deactivated user receives nothing more, whichever process made the change.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import { prepared } from '../../storage/prepared.js'

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
  const { rows } = await prepared(sql<LiveEventRow>`
    select id, kind, opportunity_id, post_id from crm_live_events
    where id > ${afterId} order by id limit ${limit}`).execute(db)
  return rows
}

/**
 * Which of the events each of the users may receive now: their own (bell, membership), or about an
 * opportunity they are a member of; admins see every opportunity. Inactive users receive nothing.
 * Members are found from each event's opportunity (a few per deal, by crm_opportunity_members_opportunity)
 * rather than by testing every listening user against every event: with 50 streams open in a process the
 * pairwise test probed the members' key 50 times per event (bench:feed: 15 ms a batch, 3.5 times slower).
 */
export async function deliveries(
  db: Db,
  eventIds: readonly number[],
  userIds: readonly string[],
): Promise<DeliveryRow[]> {
  if (eventIds.length === 0 || userIds.length === 0) return []
  const { rows } = await prepared(sql<DeliveryRow>`
    with listening as (
      select id, role from users where id = any(${[...userIds]}::uuid[]) and is_active
    ), events as (
      select id, kind, opportunity_id, post_id, user_id from crm_live_events
      where id = any(${[...eventIds]}::bigint[])
    )
    select e.id, e.kind, e.opportunity_id, e.post_id, l.id as user_id
    from events e join listening l on l.id = e.user_id
    union all
    select e.id, e.kind, e.opportunity_id, e.post_id, l.id
    from events e
    join crm_opportunity_members m on m.opportunity_id = e.opportunity_id
    join listening l on l.id = m.user_id and l.role <> 'admin'
    where e.user_id is null
    union all
    select e.id, e.kind, e.opportunity_id, e.post_id, l.id
    from events e join listening l on l.role = 'admin'
    where e.user_id is null
    order by id`).execute(db)
  return rows
}

/** Forgets events older than `before`: a browser away that long gets a reset instead of a replay. */
export async function pruneEvents(db: Db, before: Date): Promise<void> {
  await sql`delete from crm_live_events where created_at < ${before}`.execute(db)
}
