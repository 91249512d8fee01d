import { sql, type Kysely } from 'kysely'

// The Salesforce connection and the local cache the sync fills. Column names follow Salesforce's fields in
// snake_case; values keep Salesforce's meaning (amount in the record's currency, probability in percent).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_connections (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('salesforce')),
      auth_method text not null check (auth_method in ('password', 'client_credentials', 'authorization_code')),
      login_url text not null,
      instance_url text,
      username text,
      consumer_key text not null,
      -- AES-256-GCM ciphertext of a JSON object of every secret (see server/crm/connection/secret-box.ts).
      encrypted_secrets text not null,
      cache_locally boolean not null default true,
      status text not null default 'healthy' check (status in ('healthy', 'needs_attention', 'disconnected')),
      status_reason text,
      status_hint text,
      status_changed_at timestamptz not null default now(),
      org_id text,
      integration_user_id text,
      sync_interval_minutes integer not null default 5 check (sync_interval_minutes between 1 and 1440),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)

  // In-flight "Connect with Salesforce" approvals: the PKCE verifier and the form, sealed, keyed by the hash
  // of the OAuth state parameter; each lives a few minutes and is used once.
  await sql`
    create table crm_oauth_pending (
      state_hash text primary key,
      sealed_request text not null,
      created_by uuid references users (id) on delete cascade,
      expires_at timestamptz not null
    )`.execute(db)

  await sql`
    create table crm_opportunities (
      id text primary key,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      name text not null,
      account_id text,
      account_name text,
      amount numeric(18, 2),
      currency_iso_code text,
      close_date date,
      stage_name text,
      probability numeric(5, 2),
      forecast_category_name text,
      type text,
      lead_source text,
      next_step text,
      description text,
      is_closed boolean not null default false,
      is_won boolean not null default false,
      owner_id text,
      owner_name text,
      owner_email text,
      created_date timestamptz,
      last_modified_date timestamptz,
      system_modstamp timestamptz not null,
      -- Fields the admin picked beyond the standard set, by API name.
      extra_fields jsonb not null default '{}'::jsonb,
      is_deleted boolean not null default false,
      deleted_at timestamptz,
      synced_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index crm_opportunities_modstamp on crm_opportunities (connection_id, system_modstamp, id)`.execute(
    db,
  )
  await sql`create index crm_opportunities_owner_email on crm_opportunities (lower(owner_email))`.execute(db)

  await sql`
    create table crm_salesforce_users (
      id text primary key,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      name text,
      email text,
      is_active boolean not null default true,
      synced_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index crm_salesforce_users_email on crm_salesforce_users (lower(email))`.execute(db)

  await sql`
    create table crm_opportunity_team_members (
      id text primary key,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      opportunity_id text not null,
      user_id text not null,
      team_member_role text,
      system_modstamp timestamptz,
      is_deleted boolean not null default false
    )`.execute(db)
  await sql`create index crm_team_members_opportunity on crm_opportunity_team_members (opportunity_id)`.execute(
    db,
  )
  await sql`create index crm_team_members_user on crm_opportunity_team_members (user_id)`.execute(db)
}
