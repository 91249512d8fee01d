import { sql, type Kysely } from 'kysely'

// Notifications (issue 15): one row per person told about something, written in the same transaction as
// what caused it; and each person's choice per kind (in app / email / off, immediate / daily digest).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      kind text not null check (kind in ('mentioned', 'reply', 'new_post', 'tracked_change', 'added')),
      opportunity_id text not null references crm_opportunities (id) on delete cascade,
      post_id uuid references crm_feed_posts (id) on delete cascade,
      actor_id uuid references users (id) on delete set null,
      created_at timestamptz not null,
      read_at timestamptz
    )`.execute(db)
  await sql`create index crm_notifications_bell on crm_notifications (user_id, created_at desc, id desc)`.execute(
    db,
  )
  await sql`create index crm_notifications_unread on crm_notifications (user_id) where read_at is null`.execute(
    db,
  )

  await sql`
    create table crm_notification_preferences (
      user_id uuid not null references users (id) on delete cascade,
      kind text not null check (kind in ('mentioned', 'reply', 'new_post', 'tracked_change', 'added')),
      channel text not null check (channel in ('in_app', 'email', 'off')),
      timing text not null check (timing in ('immediate', 'digest')),
      primary key (user_id, kind)
    )`.execute(db)
}
