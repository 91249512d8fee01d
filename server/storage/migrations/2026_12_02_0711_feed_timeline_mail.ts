import { sql, type Kysely } from 'kysely'

// The change timeline and notification email (issue 15).
// - System entries of the feed carry what changed (system_change) and a key (field and SystemModstamp), unique
//   per opportunity, so a page replayed after a crash cannot write the same entry twice.
// - The admin picks the tracked fields (module default); who may add members to a deal (module default).
// - Each notification remembers whether it is to be emailed (immediate or in the daily digest), when it was
//   sent or why it was not, and the last failure; one digest per person per day (crm_mail_digests).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_feed_posts add column system_key text, add column system_change jsonb`.execute(db)
  await sql`
    create unique index crm_feed_posts_system_key on crm_feed_posts (opportunity_id, system_key)
      where system_key is not null`.execute(db)

  await sql`
    alter table crm_feed_settings
      add column tracked_fields text[] not null
        default '{StageName,Amount,CloseDate,Probability,NextStep,OwnerId,ForecastCategoryName}',
      add column who_may_add_members text not null default 'admins'
        check (who_may_add_members in ('members', 'admins'))`.execute(db)
  await sql`
    alter table crm_notifications
      add column email_timing text check (email_timing in ('immediate', 'digest')),
      add column emailed_at timestamptz,
      add column email_skipped text,
      add column email_attempts integer not null default 0,
      add column email_error text`.execute(db)
  await sql`
    create index crm_notifications_digest on crm_notifications (user_id, created_at)
      where email_timing = 'digest' and emailed_at is null and email_skipped is null`.execute(db)
  await sql`
    create table crm_mail_digests (
      user_id uuid not null references users (id) on delete cascade,
      day date not null,
      sent_at timestamptz,
      primary key (user_id, day)
    )`.execute(db)
  // Orphan files (uploaded, never attached) are found by age.
  await sql`create index crm_feed_files_orphans on crm_feed_files (created_at) where post_id is null`.execute(
    db,
  )
}
