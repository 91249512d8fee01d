import { sql, type Kysely } from 'kysely'

// Real-time updates (issue 18): per connection, whether the Change Data Capture stream is on, where it stands
// (the replay id is committed in the same transaction as the cache changes its events produced, so a killed
// subscriber resumes without loss or double application), and what the admin sees of it; plus the stream's
// own events (reconnects, gaps, overflows) with their hints.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_cdc_streams (
      connection_id uuid primary key references crm_connections (id) on delete cascade,
      enabled boolean not null default false,
      replay_id text,
      state text not null default 'off' check (state in ('off', 'connecting', 'connected', 'error')),
      state_at timestamptz,
      heartbeat_at timestamptz,
      last_event_at timestamptz,
      last_commit_at timestamptz,
      events_applied bigint not null default 0,
      sync_requested_at timestamptz,
      last_error_code text,
      last_error_message text,
      last_error_hint text,
      last_error_at timestamptz
    )`.execute(db)
  await sql`
    create table crm_cdc_events (
      id bigserial primary key,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      at timestamptz not null default now(),
      level text not null check (level in ('info', 'warning', 'error')),
      message text not null,
      hint text
    )`.execute(db)
  await sql`create index crm_cdc_events_connection on crm_cdc_events (connection_id, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_cdc_events`.execute(db)
  await sql`drop table crm_cdc_streams`.execute(db)
}
