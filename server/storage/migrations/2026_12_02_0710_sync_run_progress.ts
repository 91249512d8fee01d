import { sql, type Kysely } from 'kysely'

// A run's progress apart from its heartbeat: the last page it committed and when, written in that page's own
// transaction, so a run that is alive but no longer moving can be told apart from one that is slow but working
// (server/crm/sync/run-watch.ts ends it as stalled after CRM_SYNC_STALL_MS).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_runs add column last_page integer not null default 0`.execute(db)
  await sql`alter table crm_sync_runs add column progress_at timestamptz`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_runs drop column progress_at`.execute(db)
  await sql`alter table crm_sync_runs drop column last_page`.execute(db)
}
