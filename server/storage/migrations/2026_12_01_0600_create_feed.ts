import { sql, type Kysely } from 'kysely'

// The activity feed of each opportunity (issue 15): posts with one level of replies, edits marked, soft
// deletes, and who may post (a module default and an optional per-opportunity override). Timestamps are
// written by the application (deps.clock), in milliseconds, so a keyset cursor carries them exactly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_feed_posts (
      id uuid primary key default gen_random_uuid(),
      opportunity_id text not null references crm_opportunities (id) on delete cascade,
      parent_id uuid references crm_feed_posts (id) on delete cascade,
      author_id uuid references users (id) on delete set null,
      kind text not null default 'post' check (kind in ('post', 'system')),
      body text not null,
      body_html text not null,
      created_at timestamptz not null,
      edited_at timestamptz,
      deleted_at timestamptz,
      deleted_by uuid references users (id) on delete set null,
      activity_at timestamptz not null
    )`.execute(db)
  // One page of a feed is one range scan of this index: an opportunity's top-level posts, newest activity first.
  await sql`
    create index crm_feed_posts_page on crm_feed_posts (opportunity_id, activity_at desc, id desc)
      where parent_id is null`.execute(db)
  await sql`
    create index crm_feed_posts_replies on crm_feed_posts (parent_id, created_at, id)
      where parent_id is not null`.execute(db)

  await sql`
    create table crm_feed_settings (
      id text primary key default 'default' check (id = 'default'),
      who_may_post text not null default 'members' check (who_may_post in ('members', 'admins')),
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id) on delete set null
    )`.execute(db)
  await sql`insert into crm_feed_settings (id) values ('default')`.execute(db)
  await sql`
    create table crm_feed_opportunity_settings (
      opportunity_id text primary key references crm_opportunities (id) on delete cascade,
      who_may_post text not null check (who_may_post in ('members', 'admins')),
      updated_at timestamptz not null,
      updated_by uuid references users (id) on delete set null
    )`.execute(db)
}
