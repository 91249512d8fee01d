// What the lists know about activity (issue 15 item 6), as SQL over the feed: an opportunity's last activity
// is its newest entry (post, reply or system entry; deleted ones are not activity), and it is unread for a
// person when someone else (or the module: system entries have no author) wrote after they last opened the
// feed (crm_feed_reads). Each is a short range scan of crm_feed_posts_activity per listed row (migration
// 2026_12_03_0300). Access is the caller's: these expressions only ever run on rows the query already
// limited to what the viewer may see, so a member learns nothing about deals not assigned to them.
import { sql, type RawBuilder, type SqlBool } from 'kysely'

import type { Db } from '../../storage/open-database.js'

/** The row's newest feed entry time, or NULL; `alias` names a `crm_opportunities` row. */
export function lastActivityExpression(alias = 'o'): RawBuilder<Date | null> {
  return sql<Date | null>`(select max(p.created_at) from crm_feed_posts p
    where p.opportunity_id = ${sql.ref(`${alias}.id`)} and p.deleted_at is null)`
}

/** True when someone other than `userId` wrote in the row's feed after `userId` last opened it. */
export function unreadExpression(userId: string, alias = 'o'): RawBuilder<boolean> {
  const id = sql.ref(`${alias}.id`)
  return sql<boolean>`exists (select 1 from crm_feed_posts p
    where p.opportunity_id = ${id} and p.deleted_at is null
      and p.author_id is distinct from ${userId}::uuid
      and p.created_at > coalesce((select r.read_at from crm_feed_reads r
        where r.user_id = ${userId}::uuid and r.opportunity_id = ${id}), '-infinity'::timestamptz))`
}

/**
 * Rows with a feed entry at or after `since`. Written as IN over the recent entries, so PostgreSQL can start
 * from the (created_at) index and hash the few ids instead of probing every opportunity.
 */
export function activitySinceCondition(since: Date, alias = 'o'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} in (select p.opportunity_id from crm_feed_posts p
    where p.deleted_at is null and p.created_at >= ${since})`
}

export interface ActivityColumns {
  last_activity_at: Date | string | null
  unread: boolean
}

/**
 * The activity columns of rows read live from Salesforce (cache off): the feed stays local, so they are
 * looked up by id afterwards. The caller passes only ids the viewer may see.
 */
export async function readActivity(
  db: Db,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, ActivityColumns>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('crm_opportunities as o')
    .select('o.id')
    .select(lastActivityExpression().as('last_activity_at'))
    .select(unreadExpression(userId).as('unread'))
    .where('o.id', 'in', ids)
    .execute()
  return new Map(rows.map((row) => [row.id, { last_activity_at: row.last_activity_at, unread: row.unread }]))
}

/** Ids (not deleted) with a feed entry at or after `since`: the live lists' "activity in the last N days". */
export async function idsWithActivitySince(db: Db, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_opportunities as o')
    .select('o.id')
    .where('o.is_deleted', '=', false)
    .where(activitySinceCondition(since))
    .orderBy('o.id')
    .execute()
  return rows.map((row) => row.id)
}

/** The start of "the last `days` days" as of `now`. */
export function activitySince(days: number, now: Date): Date {
  return new Date(now.getTime() - days * 86_400_000)
}
