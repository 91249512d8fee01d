import { sql, type Kysely } from 'kysely'

// Which process holds a connection's change stream (host:pid), so the admin, and the failover test, can see
// that exactly one does and which one took over after another died. Informational: the advisory lock decides.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_cdc_streams add column holder text`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_cdc_streams drop column holder`.execute(db)
}
