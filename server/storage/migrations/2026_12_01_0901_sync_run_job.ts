import { sql, type Kysely } from 'kysely'

// The pg-boss job that carries a run (PostgreSQL mode), so when the run is found dead (its process was killed)
// the job is failed at once instead of staying active until pg-boss expires it, which would keep the queue's
// one-active-job-per-connection slot taken (server/crm/sync/dead-runs.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_runs add column job_id text`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_sync_runs drop column job_id`.execute(db)
}
