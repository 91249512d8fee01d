import { sql, type Kysely } from 'kysely'

// Identity: OpenID Connect sign-in (settings, pending sign-ins, links from a provider's subject to a user,
// the ID token of each session for RP-initiated logout) and the SCIM 2.0 service provider (bearer tokens,
// provisioned users' SCIM attributes, groups and their members).
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row: the workspace has one identity provider.
  await sql`
    create table identity_oidc_settings (
      id text primary key default 'default' check (id = 'default'),
      enabled boolean not null default false,
      display_name text not null,
      issuer text not null,
      client_id text not null,
      -- Sealed with the master key and bound to issuer + client id (server/secrets/secret-box.ts).
      sealed_client_secret text not null,
      scopes text not null,
      email_claim text not null,
      name_claim text not null,
      groups_claim text not null,
      allowed_domains text[] not null default '{}',
      jit_enabled boolean not null default false,
      admin_group text,
      sso_only boolean not null default false,
      break_glass_user_id uuid references users (id) on delete set null,
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id) on delete set null
    )`.execute(db)

  // A sign-in between the redirect to the provider and its return: state (hashed), PKCE verifier and nonce.
  await sql`
    create table identity_oidc_pending (
      state_hash text primary key,
      sealed_request text not null,
      expires_at timestamptz not null
    )`.execute(db)

  // Who a provider's subject is here. One subject per user and issuer: linking by email happens once.
  await sql`
    create table identity_links (
      issuer text not null,
      subject text not null,
      user_id uuid not null references users (id) on delete cascade,
      email_at_link text not null,
      linked_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      primary key (issuer, subject)
    )`.execute(db)
  await sql`create unique index identity_links_user_issuer on identity_links (user_id, issuer)`.execute(db)

  // The ID token a session was opened with: the id_token_hint of RP-initiated logout. Goes with the session.
  await sql`
    create table identity_oidc_sessions (
      session_token_hash text primary key references sessions (token_hash) on delete cascade,
      sealed_id_token text not null,
      issuer text not null
    )`.execute(db)

  // SCIM bearer tokens: only a hash is kept; the token is shown once when created.
  await sql`
    create table scim_tokens (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      created_by uuid references users (id) on delete set null,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db)

  // SCIM's view of a user: userName, externalId and the attributes the provider sent that have no column in
  // users (name parts, title, phone numbers...), returned as sent. deleted_at: DELETE by the provider; the
  // account stays (inactive) so its assignments come back if the same person is provisioned again.
  await sql`
    create table scim_users (
      user_id uuid primary key references users (id) on delete cascade,
      user_name text not null,
      external_id text,
      attributes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db)
  await sql`create unique index scim_users_user_name on scim_users (lower(user_name)) where deleted_at is null`.execute(
    db,
  )
  await sql`create index scim_users_external_id on scim_users (external_id)`.execute(db)

  await sql`
    create table scim_groups (
      id uuid primary key default gen_random_uuid(),
      display_name text not null,
      external_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`create unique index scim_groups_display_name on scim_groups (lower(display_name))`.execute(db)

  await sql`
    create table scim_group_members (
      group_id uuid not null references scim_groups (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      primary key (group_id, user_id)
    )`.execute(db)
  await sql`create index scim_group_members_user on scim_group_members (user_id)`.execute(db)
}
