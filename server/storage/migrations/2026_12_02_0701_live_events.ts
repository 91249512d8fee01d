import { sql, type Kysely } from 'kysely'

// Live updates (issue 15 item 5): what the browser's event stream (crm/live/) carries, written by triggers
// in the transaction that made the change, so it commits or rolls back with it and no writer can forget it
// (the sync's pages, mail15's system entries, the feed, membership changes). A row names the opportunity
// or the one user it concerns, never the content: the stream tells a browser what to fetch again and the
// API decides, as always, what it may read. Each statement writes its rows set-based from its transition
// table (https://www.postgresql.org/docs/current/sql-createtrigger.html, REFERENCING NEW TABLE) and the
// statement-level trigger of migration 0110 tells every server process at commit.
//   feed          a post or reply written, edited or deleted (opportunity_id, post_id)
//   notifications the bell of user_id changed (new or read notifications)
//   membership    user_id was added to or removed from an opportunity: its lists changed. Deliberately
//                 without the opportunity, as a removed member may no longer learn anything about it
//   opportunity   a synced change to an opportunity's shown fields (opportunity_id)
// The id (bigserial) is the stream's event id, for Last-Event-ID replay; rows older than a day are pruned.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_live_events (
      id bigserial primary key,
      kind text not null check (kind in ('feed', 'notifications', 'membership', 'opportunity')),
      opportunity_id text,
      user_id uuid,
      post_id uuid,
      created_at timestamptz not null default now(),
      check ((kind in ('notifications', 'membership')) = (user_id is not null))
    )`.execute(db)
  await sql`create index crm_live_events_created on crm_live_events (created_at)`.execute(db)

  await sql`
    create function crm_live_feed() returns trigger language plpgsql as $$
    begin
      insert into crm_live_events (kind, opportunity_id, post_id)
        select 'feed', n.opportunity_id, n.id from new_rows n;
      return null;
    end
    $$`.execute(db)
  await sql`
    create function crm_live_notifications() returns trigger language plpgsql as $$
    begin
      insert into crm_live_events (kind, user_id)
        select distinct 'notifications', n.user_id from new_rows n;
      return null;
    end
    $$`.execute(db)
  await sql`
    create function crm_live_membership() returns trigger language plpgsql as $$
    begin
      insert into crm_live_events (kind, user_id)
        select distinct 'membership', c.user_id from changed_rows c;
      return null;
    end
    $$`.execute(db)
  // Only the fields the lists and the detail show; the sync's own bookkeeping (synced_at) is not news.
  await sql`
    create function crm_live_opportunities() returns trigger language plpgsql as $$
    begin
      insert into crm_live_events (kind, opportunity_id)
        select 'opportunity', n.id from new_rows n join old_rows o on o.id = n.id
        where (n.name, n.amount, n.close_date, n.stage_name, n.probability, n.next_step, n.owner_id,
               n.forecast_category_name, n.is_closed, n.is_won, n.is_deleted, n.account_name)
          is distinct from
              (o.name, o.amount, o.close_date, o.stage_name, o.probability, o.next_step, o.owner_id,
               o.forecast_category_name, o.is_closed, o.is_won, o.is_deleted, o.account_name);
      return null;
    end
    $$`.execute(db)

  // A trigger with transition tables names one event (PostgreSQL refuses "insert or update" with them).
  const triggers: Array<[string, string, string, string, string]> = [
    ['crm_feed_posts_live_insert', 'insert', 'crm_feed_posts', 'new table as new_rows', 'crm_live_feed'],
    ['crm_feed_posts_live_update', 'update', 'crm_feed_posts', 'new table as new_rows', 'crm_live_feed'],
    [
      'crm_notifications_live_insert',
      'insert',
      'crm_notifications',
      'new table as new_rows',
      'crm_live_notifications',
    ],
    [
      'crm_notifications_live_update',
      'update',
      'crm_notifications',
      'new table as new_rows',
      'crm_live_notifications',
    ],
    [
      'crm_members_live_insert',
      'insert',
      'crm_opportunity_members',
      'new table as changed_rows',
      'crm_live_membership',
    ],
    [
      'crm_members_live_delete',
      'delete',
      'crm_opportunity_members',
      'old table as changed_rows',
      'crm_live_membership',
    ],
    [
      'crm_opportunities_live_update',
      'update',
      'crm_opportunities',
      'old table as old_rows new table as new_rows',
      'crm_live_opportunities',
    ],
  ]
  for (const [name, event, table, referencing, fn] of triggers) {
    await sql`create trigger ${sql.id(name)} after ${sql.raw(event)} on ${sql.table(table)}
      referencing ${sql.raw(referencing)}
      for each statement execute function ${sql.id(fn)}()`.execute(db)
  }
  // Every server process learns of new events at commit through the change feed of migration 0110.
  await sql`create trigger crm_live_events_notify_change after insert on crm_live_events
    for each statement execute function notify_table_change()`.execute(db)
}
