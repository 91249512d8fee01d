import { sql, type Kysely } from 'kysely'

// Lists know about activity (issue 15 item 6): when each person last opened an opportunity's feed, and the
// indexes that make "last activity", "unread" and "activity in the last N days" index probes.
// - Last activity and unread read an opportunity's newest entries (posts, replies, system entries; deleted
//   ones are not activity) from (opportunity_id, created_at desc): one short range scan per listed row.
// - "Activity in the last N days" over the whole cache starts from the recent entries instead
//   (created_at range), so it costs the entries of those days, not one probe per opportunity.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_feed_reads (
      user_id uuid not null references users (id) on delete cascade,
      opportunity_id text not null references crm_opportunities (id) on delete cascade,
      read_at timestamptz not null,
      primary key (user_id, opportunity_id)
    )`.execute(db)
  await sql`
    create index crm_feed_posts_activity on crm_feed_posts (opportunity_id, created_at desc)
      where deleted_at is null`.execute(db)
  await sql`
    create index crm_feed_posts_recent on crm_feed_posts (created_at, opportunity_id)
      where deleted_at is null`.execute(db)
  // The member list (read cache) shows the unread marker: opening a feed in one process flushes the others.
  await sql`create trigger crm_feed_reads_notify_change after insert or update or delete on crm_feed_reads
    for each statement execute function notify_table_change()`.execute(db)
}
