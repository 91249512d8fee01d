import { sql, type Kysely } from 'kysely'

// What the Real-time panel shows, counted per minute in each batch's transaction: events Salesforce delivered
// (every one counts toward the org's 24-hour delivery allocation, our own write-backs and gap events too),
// foreign changes applied, and their lag from the CRM's commit to our commit. Rows older than a day are
// dropped as new ones come, so the table stays at most 1,440 rows per connection. The allocation's limit is
// read from the org's limits when the stream starts (delivery_limit).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_cdc_minutes (
      connection_id uuid not null references crm_connections (id) on delete cascade,
      minute timestamptz not null,
      delivered integer not null default 0,
      applied integer not null default 0,
      lag_ms_sum bigint not null default 0,
      lag_ms_max integer not null default 0,
      primary key (connection_id, minute)
    )`.execute(db)
  await sql`alter table crm_cdc_streams add column delivery_limit integer`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_cdc_streams drop column delivery_limit`.execute(db)
  await sql`drop table crm_cdc_minutes`.execute(db)
}
