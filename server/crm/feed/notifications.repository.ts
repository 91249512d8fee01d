// Notifications: written set-based in the transaction of the post that causes them, read for the bell.
// Recipients are active users who can still see the opportunity and have not turned the kind off; a
// notification about an opportunity the user can no longer see is never shown.
import { sql, type RawBuilder } from 'kysely'

import { UNREAD_COUNT_CAP, type NotificationPreference } from '../../../contracts/api/notifications.api.js'
import type { Db } from '../../storage/open-database.js'
import { prepared } from '../../storage/prepared.js'
import type { NotificationKind } from '../../storage/tables/feed.table.js'

const CAN_STILL_SEE = sql`(u.role = 'admin' or exists (select 1 from crm_opportunity_members m
  where m.opportunity_id = n.opportunity_id and m.user_id = n.user_id))`

/** A notification just written: whom it tells and whether it is to be emailed. */
export interface Told {
  id: string
  user_id: string
  email_timing: 'immediate' | 'digest' | null
}

/**
 * The end of every notification insert: from candidate rows `n` (user_id, kind, opportunity_id, post_id,
 * actor_id), only active users who can still see the deal and have not turned the kind off; email when
 * they chose it and email is configured.
 */
function deliver(emailOn: boolean, at: Date) {
  const timing = emailOn ? sql`case when pref.channel = 'email' then pref.timing end` : sql`null`
  return sql`
    insert into crm_notifications (user_id, kind, opportunity_id, post_id, actor_id, created_at, email_timing)
    select n.user_id, n.kind, n.opportunity_id, n.post_id, n.actor_id, ${at}, ${timing}
    from candidates n
    join users u on u.id = n.user_id and u.is_active
    left join crm_notification_preferences pref on pref.user_id = n.user_id and pref.kind = n.kind
    where ${CAN_STILL_SEE} and coalesce(pref.channel, 'in_app') <> 'off'
    returning id, user_id, email_timing`
}

/**
 * Tells the people a new post or reply concerns, each once, by the strongest reason: mentioned, then a
 * reply to their post, then a new post on their opportunity.
 */
export async function notifyAboutPost(
  db: Db,
  post: { id: string; opportunityId: string; authorId: string; parentId: string | null; mentioned: string[] },
  at: Date,
  emailOn = false,
): Promise<Told[]> {
  const { rows } = await sql<Told>`
    with reasons (user_id, kind, rank) as (
      select unnest(${sql.val(post.mentioned)}::uuid[]), 'mentioned', 1
      union all
      select p.author_id, 'reply', 2 from crm_feed_posts p where p.id = ${post.parentId}::uuid
      union all
      select m.user_id, 'new_post', 3 from crm_opportunity_members m
        where m.opportunity_id = ${post.opportunityId} and ${post.parentId}::uuid is null
    ), best as (
      select distinct on (user_id) user_id, kind from reasons
      where user_id is not null and user_id <> ${post.authorId}
      order by user_id, rank
    ), candidates as (
      select b.user_id, b.kind, ${post.opportunityId}::text as opportunity_id, ${post.id}::uuid as post_id,
             ${post.authorId}::uuid as actor_id
      from best b
    )
    ${deliver(emailOn, at)}`.execute(db)
  return rows
}

// What moves a deal enough to tell its members: the outcome, the stage, the close date, a deletion.
const NOTIFYING_FIELDS = ['Outcome', 'IsDeleted', 'StageName', 'CloseDate']

/** Tells each member of a deal once about the page's system entries on it (the weightiest one). */
export async function notifyTrackedChanges(
  db: Db,
  entries: ReadonlyArray<{ id: string; opportunity_id: string; field: string }>,
  at: Date,
  emailOn = false,
): Promise<Told[]> {
  const weighty = entries.filter((entry) => NOTIFYING_FIELDS.includes(entry.field))
  if (weighty.length === 0) return []
  const { rows } = await sql<Told>`
    with entries as (
      select distinct on (e.opportunity_id) e.opportunity_id, e.id
      from jsonb_to_recordset(${JSON.stringify(weighty)}::jsonb) as e (id uuid, opportunity_id text, field text)
      order by e.opportunity_id, array_position(${sql.val(NOTIFYING_FIELDS)}::text[], e.field)
    ), candidates as (
      select m.user_id, 'tracked_change' as kind, e.opportunity_id, e.id as post_id, null::uuid as actor_id
      from entries e join crm_opportunity_members m on m.opportunity_id = e.opportunity_id
    )
    ${deliver(emailOn, at)}`.execute(db)
  return rows
}

/** Tells a person they were added to deals (by someone else). */
export async function notifyAdded(
  db: Db,
  added: { userId: string; opportunityIds: readonly string[]; actorId: string },
  at: Date,
  emailOn = false,
): Promise<Told[]> {
  if (added.opportunityIds.length === 0 || added.userId === added.actorId) return []
  const { rows } = await sql<Told>`
    with candidates as (
      select ${added.userId}::uuid as user_id, 'added' as kind, o.id as opportunity_id, null::uuid as post_id,
             ${added.actorId}::uuid as actor_id
      from unnest(${sql.val([...added.opportunityIds])}::text[]) as o (id)
    )
    ${deliver(emailOn, at)}`.execute(db)
  return rows
}

export interface NotificationRow {
  id: string
  kind: NotificationKind
  opportunity_id: string
  opportunity_name: string | null
  post_id: string | null
  post_body: string | null
  post_deleted: boolean | null
  /** The system entry's change (timeline.ts toSystemEntry), for a tracked change. */
  change_field: string | null
  change_to: string | null
  actor_id: string | null
  actor_name: string | null
  created_at: Date
  read_at: Date | null
}

const VISIBLE = (userId: string) => sql`n.user_id = ${userId} and ${CAN_STILL_SEE}`

// Counted up to UNREAD_COUNT_CAP: a user who never reads their notifications would otherwise make every
// bell read, and every live bell event, cost more with each notification they get.
const unreadCountOf = (userId: string | RawBuilder<unknown>) => sql<number>`(
  select count(*)::int from (
    select 1 from crm_notifications n join users u on u.id = n.user_id
    where n.user_id = ${userId} and ${CAN_STILL_SEE} and n.read_at is null
    limit ${UNREAD_COUNT_CAP}) as capped)`

/**
 * The bell: the newest `limit` notifications and the unread count, in one statement (under load each
 * statement waits for a pooled connection; the bell waited twice).
 */
export async function readBell(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ unreadCount: number; notifications: NotificationRow[] }> {
  const { rows } = await prepared(sql<
    { unread_count: number } & { [K in keyof NotificationRow]: NotificationRow[K] | null }
  >`
    select ${unreadCountOf(userId)} as unread_count, l.*
    from (select 1) as one
    left join lateral (
      select n.id, n.kind, n.opportunity_id, o.name as opportunity_name, n.post_id, p.body as post_body,
             p.deleted_at is not null as post_deleted, p.system_change ->> 'field' as change_field,
             p.system_change ->> 'to' as change_to, n.actor_id, a.name as actor_name, n.created_at, n.read_at
      from crm_notifications n
      join users u on u.id = n.user_id
      join crm_opportunities o on o.id = n.opportunity_id
      left join crm_feed_posts p on p.id = n.post_id
      left join users a on a.id = n.actor_id
      where ${VISIBLE(userId)}
      order by n.created_at desc, n.id desc
      limit ${limit}
    ) l on true
    order by l.created_at desc, l.id desc`).execute(db)
  return {
    unreadCount: rows[0]?.unread_count ?? 0,
    notifications: rows.filter((row): row is { unread_count: number } & NotificationRow => row.id !== null),
  }
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const { rows } = await prepared(sql<{ n: number }>`select ${unreadCountOf(userId)} as n`).execute(db)
  return rows[0]?.n ?? 0
}

/** The bell's number of each of `userIds` in one statement (capped as for one user). */
export async function countUnreadOf(db: Db, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map()
  const { rows } = await prepared(sql<{ user_id: string; n: number }>`
    select r.id as user_id, ${unreadCountOf(sql`r.id`)} as n
    from users r where r.id = any(${[...userIds]}::uuid[])`).execute(db)
  return new Map(rows.map((row) => [row.user_id, row.n]))
}

export async function markRead(
  db: Db,
  userId: string,
  ids: readonly string[] | 'all',
  at: Date,
): Promise<void> {
  let query = db
    .updateTable('crm_notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
  if (ids !== 'all') query = query.where('id', 'in', [...ids])
  await query.execute()
}

export async function readPreferences(db: Db, userId: string): Promise<NotificationPreference[]> {
  return db
    .selectFrom('crm_notification_preferences')
    .select(['kind', 'channel', 'timing'])
    .where('user_id', '=', userId)
    .execute()
}

export async function writePreferences(
  db: Db,
  userId: string,
  preferences: readonly NotificationPreference[],
): Promise<void> {
  await db
    .insertInto('crm_notification_preferences')
    .values(preferences.map((p) => ({ user_id: userId, kind: p.kind, channel: p.channel, timing: p.timing })))
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({
        channel: eb.ref('excluded.channel'),
        timing: eb.ref('excluded.timing'),
      })),
    )
    .execute()
}
