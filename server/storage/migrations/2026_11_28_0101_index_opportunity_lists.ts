import { sql, type Kysely } from 'kysely'

// Indexes for the portal lists over the cache. Each sortable column is indexed as the exact expression the
// list query orders by (NULLs folded to ±infinity so keyset comparisons never meet a NULL), plus the id as
// tie-breaker, and only over live rows: deleted records never appear in a list.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Substring search on name and account ("acme" finds "The Acme Group") needs trigram GIN indexes; a
  // btree can only serve prefixes.
  await sql`create extension if not exists pg_trgm`.execute(db)

  const live = sql`where not is_deleted`
  await sql`create index crm_opportunities_sort_close_date
    on crm_opportunities ((coalesce(close_date, 'infinity'::date)), id) ${live}`.execute(db)
  await sql`create index crm_opportunities_sort_amount
    on crm_opportunities ((coalesce(amount, '-Infinity'::numeric)), id) ${live}`.execute(db)
  await sql`create index crm_opportunities_sort_name on crm_opportunities ((lower(name)), id) ${live}`.execute(
    db,
  )
  await sql`create index crm_opportunities_sort_last_modified
    on crm_opportunities ((coalesce(last_modified_date, '-infinity'::timestamptz)), id) ${live}`.execute(db)

  await sql`create index crm_opportunities_search_name
    on crm_opportunities using gin (name gin_trgm_ops) ${live}`.execute(db)
  await sql`create index crm_opportunities_search_account
    on crm_opportunities using gin (account_name gin_trgm_ops) ${live}`.execute(db)

  await sql`create index crm_opportunities_owner on crm_opportunities (owner_id) ${live}`.execute(db)
  await sql`create index crm_opportunities_stage on crm_opportunities (stage_name) ${live}`.execute(db)
}
