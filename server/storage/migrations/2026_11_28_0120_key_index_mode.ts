import { sql, type Kysely } from 'kysely'

// "Cache data locally" off keeps only a key index per opportunity (id, SystemModstamp, deletion, owner): the
// memberships need the row for their foreign key, automatic assignment needs the owner, deletes and
// reconciliation need the stamps. `name` was the only content column declared not null.
// The partial index holds exactly the key-only rows that are still live: while the cache is on it is empty, so
// "has the cache been refilled since it was turned back on?" (see key-index.repository.ts) is one probe of an empty index.
// Named 0120, not 0102: a name sorting before the already-applied 0110 would break the migrator's order check.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_opportunities alter column name drop not null`.execute(db)
  await sql`
    create index crm_opportunities_key_only on crm_opportunities (connection_id)
    where name is null and not is_deleted`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index crm_opportunities_key_only`.execute(db)
  await sql`update crm_opportunities set name = '' where name is null`.execute(db)
  await sql`alter table crm_opportunities alter column name set not null`.execute(db)
}
