import { sql, type Kysely } from 'kysely'

// A full pass that did not finish (the run failed, stalled or was interrupted) is remembered, so the next run
// resumes it from its checkpoint as a full pass: it then counts as the last full sync and needs no
// reconciliation, instead of passing for an incremental run that always ends in one (sync-steps.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_state add column full_sync_started_at timestamptz`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_state drop column full_sync_started_at`.execute(db)
}
