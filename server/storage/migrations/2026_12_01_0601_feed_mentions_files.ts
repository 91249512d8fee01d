import { sql, type Kysely } from 'kysely'

// Mentions (who a post names, for notifications) and files attached to posts (issue 15). Files live in the
// database so every server process serves the same ones; a file is uploaded first (post_id null) and
// attached when the post that carries it is written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_feed_mentions (
      post_id uuid not null references crm_feed_posts (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      primary key (post_id, user_id)
    )`.execute(db)
  await sql`create index crm_feed_mentions_user on crm_feed_mentions (user_id)`.execute(db)

  await sql`
    create table crm_feed_files (
      id uuid primary key default gen_random_uuid(),
      opportunity_id text not null references crm_opportunities (id) on delete cascade,
      post_id uuid references crm_feed_posts (id) on delete cascade,
      uploader_id uuid references users (id) on delete set null,
      file_name text not null,
      content_type text not null,
      size_bytes integer not null,
      is_image boolean not null,
      content bytea not null,
      created_at timestamptz not null
    )`.execute(db)
  await sql`create index crm_feed_files_post on crm_feed_files (post_id) where post_id is not null`.execute(
    db,
  )
}
