import { sql, type Kysely } from 'kysely'

// A Bulk API 2.0 run keeps its place the way a REST run keeps its checkpoint: the job it reads, the query that
// job runs (a later run resumes it only for the very same SOQL), the locator of the first page not yet committed
// (null: from the job's first page) and the newest SystemModstamp stored so far, which becomes the high-water
// mark when the last page commits. Bulk results have no order, so no single record can serve as the checkpoint.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table crm_sync_state
      add column bulk_job_id text,
      add column bulk_job_soql text,
      add column bulk_locator text,
      add column bulk_newest_modstamp timestamptz`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table crm_sync_state
      drop column bulk_job_id, drop column bulk_job_soql, drop column bulk_locator,
      drop column bulk_newest_modstamp`.execute(db)
}
