import { sql, type Kysely } from 'kysely'

// Sync state is persisted, not just logged: the high-water mark that incremental runs resume from, every
// run with its counts and outcome, and each run's events for the Sync Log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_sync_state (
      connection_id uuid primary key references crm_connections (id) on delete cascade,
      -- Position of the last committed page: (SystemModstamp, Id) of its last record.
      high_water_modstamp timestamptz,
      high_water_id text,
      deleted_checked_until timestamptz,
      -- Team members and Salesforce users changed since this time have been fetched.
      related_synced_until timestamptz,
      last_full_sync_at timestamptz,
      last_reconcile_at timestamptz,
      last_success_at timestamptz,
      next_run_at timestamptz,
      paused_until timestamptz,
      -- Admin settings of the sync.
      extra_fields text[] not null default '{}',
      api_budget_run_percent integer not null default 10 check (api_budget_run_percent between 1 and 100),
      api_budget_day_percent integer not null default 25 check (api_budget_day_percent between 1 and 100),
      bulk_threshold integer not null default 50000 check (bulk_threshold >= 0),
      reconcile_every_hours integer not null default 24 check (reconcile_every_hours between 1 and 720),
      log_retention_days integer not null default 30 check (log_retention_days between 1 and 3650),
      hidden_fields text[] not null default '{}'
    )`.execute(db)

  await sql`
    create table crm_sync_runs (
      id bigint generated always as identity primary key,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      trigger text not null check (trigger in ('initial', 'scheduled', 'manual', 'reconcile')),
      method text check (method in ('rest', 'bulk')),
      status text not null check (status in ('running', 'succeeded', 'partial', 'paused', 'failed')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      heartbeat_at timestamptz not null default now(),
      records_total integer,
      records_fetched integer not null default 0,
      records_inserted integer not null default 0,
      records_updated integer not null default 0,
      records_deleted integer not null default 0,
      records_unchanged integer not null default 0,
      api_calls integer not null default 0,
      api_remaining integer,
      api_max integer,
      error_code text,
      error_message text,
      error_hint text,
      worker text
    )`.execute(db)
  // At most one running sync per connection, whichever process asks: the second claim fails on this index.
  await sql`create unique index crm_sync_runs_one_running on crm_sync_runs (connection_id) where status = 'running'`.execute(
    db,
  )
  await sql`create index crm_sync_runs_recent on crm_sync_runs (connection_id, started_at desc)`.execute(db)

  await sql`
    create table crm_sync_events (
      id bigint generated always as identity primary key,
      run_id bigint not null references crm_sync_runs (id) on delete cascade,
      at timestamptz not null default now(),
      level text not null check (level in ('info', 'warning', 'error')),
      message text not null,
      details jsonb not null default '{}'::jsonb
    )`.execute(db)
  await sql`create index crm_sync_events_run on crm_sync_events (run_id, id)`.execute(db)

  // Reconciliation lists every Id and SystemModstamp Salesforce has, page by page, here (not in memory), and
  // compares with the cache in SQL.
  await sql`
    create table crm_reconcile_ids (
      run_id bigint not null references crm_sync_runs (id) on delete cascade,
      id text not null,
      system_modstamp timestamptz not null,
      primary key (run_id, id)
    )`.execute(db)
}
