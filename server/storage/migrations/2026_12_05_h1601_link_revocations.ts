import { sql, type Kysely } from 'kysely'

// Revoking users' own Salesforce links after commit (issue 16 item 5, "Disconnect revokes"): when an admin
// disconnects the org or a workspace user is deactivated, their links leave crm_user_connections in the same
// transaction and wait here, tokens still sealed (the same ciphertext, bound to user and connection:
// secret-binding.ts userLinkContext), until a pg-boss job has revoked them at Salesforce
// (crm/connection/link-revocation.ts). Both paths move links with one function, crm_forget_user_links; the
// deactivation trigger of 2026_12_04_0100 now calls it instead of only deleting.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_link_revocations (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null,
      connection_id uuid not null,
      salesforce_user_id text not null,
      instance_url text not null,
      encrypted_tokens text not null,
      reason text not null check (reason in ('connection_disconnected', 'user_deactivated')),
      created_at timestamptz not null default now(),
      queued_at timestamptz
    )`.execute(db)
  await sql`create index crm_link_revocations_unqueued on crm_link_revocations (created_at) where queued_at is null`.execute(
    db,
  )
  // Moves the links of one user (p_user_id), of one connection (p_connection_id), or of both to revocation.
  await sql`
    create function crm_forget_user_links(p_user_id uuid, p_connection_id uuid, p_reason text)
      returns integer language plpgsql as $$
    declare moved integer;
    begin
      with gone as (
        delete from crm_user_connections
        where (p_user_id is null or user_id = p_user_id)
          and (p_connection_id is null or connection_id = p_connection_id)
        returning user_id, connection_id, salesforce_user_id, instance_url, encrypted_tokens
      )
      insert into crm_link_revocations (user_id, connection_id, salesforce_user_id, instance_url, encrypted_tokens, reason)
      select user_id, connection_id, salesforce_user_id, instance_url, encrypted_tokens, p_reason from gone;
      get diagnostics moved = row_count;
      return moved;
    end $$`.execute(db)
  await sql`
    create or replace function crm_user_connections_forget_leaver() returns trigger language plpgsql as $$
    begin
      perform crm_forget_user_links(new.id, null, 'user_deactivated');
      return null;
    end $$`.execute(db)
}
