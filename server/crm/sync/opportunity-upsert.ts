// Writes one page of records in one statement: rows travel as one array per column and unnest() turns them
// back into rows (set-based, no per-row round trips). A stored record with a newer SystemModstamp, or the same
// one and the same content, is left alone, so replaying a page, or an old page arriving late, changes nothing.
import { sql, type Insertable } from 'kysely'

import type { CrmOpportunityTable } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'

type Row = Insertable<CrmOpportunityTable>

// Column name → the PostgreSQL array type its values travel as.
const COLUMNS = [
  ['id', 'text'],
  ['connection_id', 'uuid'],
  ['name', 'text'],
  ['account_id', 'text'],
  ['account_name', 'text'],
  ['amount', 'numeric'],
  ['currency_iso_code', 'text'],
  ['close_date', 'date'],
  ['stage_name', 'text'],
  ['probability', 'numeric'],
  ['forecast_category_name', 'text'],
  ['type', 'text'],
  ['lead_source', 'text'],
  ['next_step', 'text'],
  ['description', 'text'],
  ['is_closed', 'boolean'],
  ['is_won', 'boolean'],
  ['owner_id', 'text'],
  ['owner_name', 'text'],
  ['owner_email', 'text'],
  ['created_date', 'timestamptz'],
  ['last_modified_date', 'timestamptz'],
  ['system_modstamp', 'timestamptz'],
  ['extra_fields', 'jsonb'],
  ['is_deleted', 'boolean'],
  ['deleted_at', 'timestamptz'],
  ['synced_at', 'timestamptz'],
] as const satisfies ReadonlyArray<readonly [keyof Row, string]>

export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
  /** Rows written as deleted in Salesforce (not counted as inserted or updated). */
  deleted: number
  /** Ids that were inserted or changed (for automatic member assignment). */
  changedIds: string[]
}

function toParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  return value ?? null
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
  const arrays = COLUMNS.map(
    ([column, type]) => sql`${unique.map((row) => toParam(row[column]))}::${sql.raw(type)}[]`,
  )
  const names = sql.raw(COLUMNS.map(([column]) => column).join(', '))
  const updates = sql.raw(
    COLUMNS.filter(([column]) => column !== 'id')
      .map(([column]) => `${column} = excluded.${column}`)
      .join(', '),
  )
  // Salesforce timestamps have whole seconds, so two changes within one second share a SystemModstamp: an
  // equal stamp with different content is a newer version too. Older stamps are never written.
  const dataColumns = COLUMNS.map(([column]) => column).filter(
    (column) => !['id', 'connection_id', 'synced_at'].includes(column),
  )
  const stored = sql.raw(dataColumns.map((column) => `crm_opportunities.${column}`).join(', '))
  const incoming = sql.raw(dataColumns.map((column) => `excluded.${column}`).join(', '))
  const result = await sql<{ id: string; inserted: boolean; is_deleted: boolean }>`
    insert into crm_opportunities (${names})
    select * from unnest(${sql.join(arrays)})
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
