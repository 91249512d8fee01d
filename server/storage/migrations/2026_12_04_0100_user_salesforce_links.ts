import { sql, type Kysely } from 'kysely'

// "Connect my Salesforce account" (issue 16 item 5): a workspace user's own Salesforce login, linked through
// the authorization code flow with PKCE on the connection's connected app. The tokens are sealed with the
// master key, bound to the user and the connection (secret-binding.ts userLinkContext). A link whose refresh
// token Salesforce no longer accepts is marked needs_reconnect (the org connection is never touched).
// Approvals in flight share crm_oauth_pending, told apart by `purpose`, so an admin's Setup callback never
// takes a user's approval (or the other way round).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_user_connections (
      user_id uuid not null references users (id) on delete cascade,
      connection_id uuid not null references crm_connections (id) on delete cascade,
      salesforce_user_id text not null,
      username text,
      display_name text,
      encrypted_tokens text not null,
      instance_url text not null,
      status text not null default 'connected' check (status in ('connected', 'needs_reconnect')),
      status_reason text,
      connected_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (user_id, connection_id)
    )`.execute(db)
  await sql`
    alter table crm_oauth_pending
      add column purpose text not null default 'connection' check (purpose in ('connection', 'user_link'))
  `.execute(db)
  // A deactivated workspace user keeps no Salesforce tokens here, whichever path deactivates them (admin, SCIM).
  await sql`
    create function crm_user_connections_forget_leaver() returns trigger language plpgsql as $$
    begin
      delete from crm_user_connections where user_id = new.id;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger crm_user_connections_forget_leaver after update of is_active on users
      for each row when (old.is_active and not new.is_active)
      execute function crm_user_connections_forget_leaver()`.execute(db)
}
