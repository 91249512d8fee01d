// Writes one page of records set-based, in the caller's transaction: COPY into a per-connection staging table,
// then one INSERT … SELECT … ON CONFLICT into the cache. Measured on PostgreSQL 15 with 5,000-record pages: 25%
// less time per page than the page as one JSON parameter through json_populate_recordset(), which itself
// matched one array per column with unnest(). A stored record with a newer SystemModstamp, or the same one and
// the same content, is left alone, so replaying a page, or an old page arriving late, changes nothing.
import { sql, type Insertable } from 'kysely'

import { copyRows } from '../../storage/copy-rows.js'
import type { CrmOpportunityTable } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'

type Row = Insertable<CrmOpportunityTable>

// The columns a page writes, in the table's order.
const COLUMNS = [
  'id',
  'connection_id',
  'name',
  'account_id',
  'account_name',
  'amount',
  'currency_iso_code',
  'close_date',
  'stage_name',
  'probability',
  'forecast_category_name',
  'type',
  'lead_source',
  'next_step',
  'description',
  'is_closed',
  'is_won',
  'owner_id',
  'owner_name',
  'owner_email',
  'created_date',
  'last_modified_date',
  'system_modstamp',
  'extra_fields',
  'is_deleted',
  'deleted_at',
  'synced_at',
  'last_modified_by_id',
  'last_modified_by_name',
] as const satisfies ReadonlyArray<keyof Row>

export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
  /** Rows written as deleted in Salesforce (not counted as inserted or updated). */
  deleted: number
  /** Ids that were inserted or changed (for automatic member assignment). */
  changedIds: string[]
}

export interface UpsertOptions {
  /**
   * Runs in the page's transaction once the page is in the staging table (crm_opportunity_page) and before
   * it overwrites the cache, so it can compare old and new rows set-based (the change timeline).
   */
  beforeWrite?: ((trx: Db) => Promise<unknown>) | undefined
}

export async function upsertOpportunities(
  db: Db,
  rows: readonly Row[],
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, deleted: 0, changedIds: [] }
  // The staging rows live until the transaction ends, and all three statements need the same connection.
  if (!db.isTransaction) return db.transaction().execute((trx) => upsertOpportunities(trx, rows, options))
  // A page can repeat a record (it changed while being read); keep its newest version only.
  const newest = new Map<string, Row>()
  for (const row of rows) {
    const seen = newest.get(row.id)
    if (!seen || new Date(seen.system_modstamp) <= new Date(row.system_modstamp)) newest.set(row.id, row)
  }
  const unique = [...newest.values()]
  // A temporary table lives as long as its connection and is private to it; ON COMMIT DELETE ROWS empties it
  // with the transaction, so a page never meets another page's rows.
  await sql`create temporary table if not exists crm_opportunity_page
    (like crm_opportunities including defaults) on commit delete rows`.execute(db)
  await copyRows(db, 'crm_opportunity_page', COLUMNS, unique)
  await options.beforeWrite?.(db)
  const names = sql.raw(COLUMNS.join(', '))
  const updates = sql.raw(
    COLUMNS.filter((column) => column !== 'id')
      .map((column) => `${column} = excluded.${column}`)
      .join(', '),
  )
  // Salesforce timestamps have whole seconds, so two changes within one second share a SystemModstamp: an
  // equal stamp with different content is a newer version too. Older stamps are never written.
  const dataColumns = COLUMNS.filter((column) => !['id', 'connection_id', 'synced_at'].includes(column))
  const stored = sql.raw(dataColumns.map((column) => `crm_opportunities.${column}`).join(', '))
  const incoming = sql.raw(dataColumns.map((column) => `excluded.${column}`).join(', '))
  const result = await sql<{ id: string; inserted: boolean; is_deleted: boolean }>`
    insert into crm_opportunities (${names})
    select ${names} from crm_opportunity_page
    on conflict (id) do update set ${updates}
    where crm_opportunities.system_modstamp < excluded.system_modstamp
       or (crm_opportunities.system_modstamp = excluded.system_modstamp and (${stored}) is distinct from (${incoming}))
    returning id, (xmax = 0) as inserted, is_deleted`.execute(db)
  const live = result.rows.filter((row) => !row.is_deleted)
  return {
    inserted: live.filter((row) => row.inserted).length,
    updated: live.filter((row) => !row.inserted).length,
    unchanged: unique.length - result.rows.length,
    deleted: result.rows.length - live.length,
    changedIds: result.rows.map((row) => row.id),
  }
}

/**
 * Rows stored before the org's corporate currency was known (a single-currency org's records carry none) get
 * it, so their amounts are shown with a currency. Returns how many rows changed.
 */
export async function fillMissingCurrency(db: Db, connectionId: string, currency: string): Promise<number> {
  const result = await db
    .updateTable('crm_opportunities')
    .set({ currency_iso_code: currency })
    .where('connection_id', '=', connectionId)
    .where('currency_iso_code', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
