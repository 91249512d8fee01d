// What notification email needs from the database: the notification with its recipient, whether they may
// still receive it (active, can still see the deal, still chose email), and its delivery state. Access is
// decided again when sending, not when the notification was written.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { NotificationKind } from '../../storage/tables/feed.table.js'

export interface EmailableRow {
  id: string
  kind: NotificationKind
  user_id: string
  email: string
  user_name: string
  is_active: boolean
  can_see: boolean
  channel: string
  opportunity_id: string
  opportunity_name: string | null
  post_body: string | null
  post_deleted: boolean | null
  post_kind: 'post' | 'system' | null
  actor_name: string | null
  created_at: Date
  emailed_at: Date | null
  email_skipped: string | null
}

const EMAILABLE = sql`
  select n.id, n.kind, n.user_id, u.email, u.name as user_name, u.is_active,
         (u.role = 'admin' or exists (select 1 from crm_opportunity_members m
           where m.opportunity_id = n.opportunity_id and m.user_id = n.user_id)) as can_see,
         coalesce(pref.channel, 'in_app') as channel,
         n.opportunity_id, o.name as opportunity_name, p.body as post_body,
         p.deleted_at is not null as post_deleted, p.kind as post_kind, a.name as actor_name,
         n.created_at, n.emailed_at, n.email_skipped
  from crm_notifications n
  join users u on u.id = n.user_id
  join crm_opportunities o on o.id = n.opportunity_id
  left join crm_notification_preferences pref on pref.user_id = n.user_id and pref.kind = n.kind
  left join crm_feed_posts p on p.id = n.post_id
  left join users a on a.id = n.actor_id`

export async function readEmailable(db: Db, notificationId: string): Promise<EmailableRow | undefined> {
  const { rows } = await sql<EmailableRow>`${EMAILABLE} where n.id = ${notificationId}::uuid`.execute(db)
  return rows[0]
}

/** The claimed items of a digest, oldest first. */
export async function readEmailableByIds(db: Db, ids: readonly string[]): Promise<EmailableRow[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<EmailableRow>`${EMAILABLE}
    where n.id in (${sql.join(ids.map((id) => sql`${id}::uuid`))})
    order by n.created_at, n.id`.execute(db)
  return rows
}

/** Whoever has digest items waiting. */
export async function findDigestRecipients(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_notifications')
    .select('user_id')
    .distinct()
    .where('email_timing', '=', 'digest')
    .where('emailed_at', 'is', null)
    .where('email_skipped', 'is', null)
    .where('email_claimed_at', 'is', null)
    .where('created_at', '<', before)
    .execute()
  return rows.map((row) => row.user_id)
}

/** Immediate emails that have no job (written while email jobs were not running). */
export async function findUnqueuedImmediate(db: Db, before: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select n.id from crm_notifications n
    where n.email_timing = 'immediate' and n.emailed_at is null and n.email_skipped is null
      and n.email_claimed_at is null and n.created_at < ${before}
      and not exists (select 1 from pgboss.job j where j.name = 'crm-mail' and j.singleton_key = n.id::text)
    limit 1000`.execute(db)
  return rows.map((row) => row.id)
}

/** Sent; `unconfirmed` says why the server's acceptance was not heard (kept as sent, never sent again). */
export async function markEmailed(
  db: Db,
  ids: readonly string[],
  at: Date,
  unconfirmed: string | null = null,
): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('crm_notifications')
    .set({
      emailed_at: at,
      email_error: unconfirmed?.slice(0, 500) ?? null,
      email_error_at: unconfirmed === null ? null : at,
    })
    .where('id', 'in', [...ids])
    .where('emailed_at', 'is', null)
    .execute()
}

/** Never to be emailed, and why (deactivated, no access any more, email turned off since). */
export async function markSkipped(db: Db, ids: readonly string[], reason: string): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('crm_notifications')
    .set({ email_skipped: reason })
    .where('id', 'in', [...ids])
    .where('emailed_at', 'is', null)
    .execute()
}

export async function recordDigestSent(db: Db, userId: string, day: string, at: Date): Promise<void> {
  await db
    .insertInto('crm_mail_digests')
    .values({ user_id: userId, day, sent_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet({ sent_at: at }))
    .execute()
}

/** Turns a kind off for a person (one-click unsubscribe), keeping their timing choice. */
export async function turnKindOff(db: Db, userId: string, kind: NotificationKind): Promise<boolean> {
  const result = await sql`
    insert into crm_notification_preferences (user_id, kind, channel, timing)
    select u.id, ${kind}, 'off', 'immediate' from users u where u.id = ${userId}::uuid
    on conflict (user_id, kind) do update set channel = 'off'`.execute(db)
  return Number(result.numAffectedRows ?? 0) > 0
}

export interface MailFigures {
  sent: number
  pending: number
  failing: number
  skipped: number
  unconfirmed: number
  stalled: number
}

/** All notification email, or only that of notifications created since `since` (the admin's recent view). */
export async function readMailFigures(db: Db, since?: Date): Promise<MailFigures> {
  const { rows } = await sql<MailFigures>`
    select count(*) filter (where emailed_at is not null)::int as sent,
           count(*) filter (where emailed_at is null and email_skipped is null)::int as pending,
           count(*) filter (where emailed_at is null and email_skipped is null and email_error is not null)::int
             as failing,
           count(*) filter (where email_skipped is not null)::int as skipped,
           count(*) filter (where emailed_at is not null and email_error is not null)::int as unconfirmed,
           -- Claimed by a sender that never reported back (it stopped mid-send); kept, as it may have been
           -- sent. 15 minutes is past nodemailer's longest wait (10 minutes of socket inactivity).
           count(*) filter (where emailed_at is null and email_skipped is null
             and email_claimed_at < now() - interval '15 minutes')::int as stalled
    from crm_notifications where email_timing is not null ${createdSince(since)}`.execute(db)
  return rows[0] ?? { sent: 0, pending: 0, failing: 0, skipped: 0, unconfirmed: 0, stalled: 0 }
}

/**
 * The newest delivery error of a notification still waiting to be emailed (failing) or kept as sent without
 * the server's confirmation; undefined when there is none. Errors written before their time was kept
 * (email_error_at) fall back to the notification's own times.
 */
const createdSince = (since: Date | undefined) => (since ? sql`and created_at >= ${since}` : sql``)

export async function readLastMailError(
  db: Db,
  since?: Date,
): Promise<{ at: Date; message: string } | undefined> {
  const { rows } = await sql<{ at: Date; message: string }>`
    select coalesce(email_error_at, emailed_at, created_at) as at, email_error as message
    from crm_notifications
    where email_timing is not null and email_error is not null and email_skipped is null ${createdSince(since)}
    order by coalesce(email_error_at, emailed_at, created_at) desc, id desc
    limit 1`.execute(db)
  return rows[0]
}

/** Stops the daily digest: every kind a person gets by email in the digest goes back to in app only. */
export async function turnDigestOff(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('crm_notification_preferences')
    .set({ channel: 'in_app' })
    .where('user_id', '=', userId)
    .where('channel', '=', 'email')
    .where('timing', '=', 'digest')
    .execute()
}
