import { sql, type Kysely } from 'kysely'

// Accounts, sessions and the one-time links of the foundation. Plain SQL reads better than the builder for DDL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      email text not null,
      password_hash text,
      role text not null check (role in ('admin', 'member')),
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_login_at timestamptz
    )`.execute(db)
  // Emails are unique regardless of case; the app also stores them lower-cased.
  await sql`create unique index users_email_unique on users (lower(email))`.execute(db)

  // Only a hash of the session token is stored, so a copy of the database cannot be used to sign in.
  await sql`
    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    )`.execute(db)
  await sql`create index sessions_user_id on sessions (user_id)`.execute(db)

  await sql`
    create table login_failures (
      id bigint generated always as identity primary key,
      scope text not null check (scope in ('account', 'address')),
      key text not null,
      failed_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index login_failures_lookup on login_failures (scope, key, failed_at)`.execute(db)

  await sql`
    create table one_time_tokens (
      token_hash text primary key,
      purpose text not null check (purpose in ('first_run_setup', 'password_reset')),
      user_id uuid references users (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index one_time_tokens_user on one_time_tokens (user_id)`.execute(db)

  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_user_id uuid references users (id) on delete set null,
      action text not null,
      target_type text,
      target_id text,
      details jsonb not null default '{}'::jsonb
    )`.execute(db)
  await sql`create index audit_events_at on audit_events (at desc)`.execute(db)

  await sql`
    create table module_settings (
      id text primary key,
      enabled boolean not null default false,
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`insert into module_settings (id, enabled) values ('crm', false)`.execute(db)
}
