// "Cache data locally" off: the opportunity table keeps a key index only (id, SystemModstamp, deletion, owner),
// which memberships, automatic assignment, deletes and reconciliation need. Everything else lives in Salesforce
// and is read live (live/). These two statements are the whole storage side of the switch.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

/**
 * Empties every content column (names, amounts, accounts, stages, dates, descriptions, extra fields), keeping
 * the stamps so that a later full sync with the cache on sees "same SystemModstamp, different content" and
 * writes the content back. Rows already blank are not touched.
 */
export async function blankOpportunityContent(db: Db, connectionId: string): Promise<number> {
  const result = await sql`
    update crm_opportunities set
      name = null, account_id = null, account_name = null, amount = null, currency_iso_code = null,
      close_date = null, stage_name = null, probability = null, forecast_category_name = null, type = null,
      lead_source = null, next_step = null, description = null, is_closed = false, is_won = false,
      created_date = null, last_modified_date = null, last_modified_by_id = null, last_modified_by_name = null,
      extra_fields = '{}'::jsonb
    where connection_id = ${connectionId} and name is not null`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * True while live rows hold keys only: the cache was off, or was turned back on and the full sync that refills
 * it has not reached every record yet. Reads stay live and every sync stays full until it is false. An index
 * probe (migration 0120's partial index is empty while the cache is complete).
 */
export async function hasKeyOnlyRows(db: Db, connectionId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (
      select 1 from crm_opportunities where connection_id = ${connectionId} and name is null and not is_deleted
    ) as found`.execute(db)
  return rows[0]?.found ?? false
}

/**
 * The module's connection with its "Cache data locally" switch and whether live rows still hold keys only
 * (as hasKeyOnlyRows, in the same statement); undefined before a connection exists.
 */
export async function findCacheState(
  db: Db,
): Promise<{ id: string; cache_locally: boolean; key_only: boolean } | undefined> {
  const { rows } = await sql<{ id: string; cache_locally: boolean; key_only: boolean }>`
    select c.id, c.cache_locally,
           exists (select 1 from crm_opportunities o
                    where o.connection_id = c.id and o.name is null and not o.is_deleted) as key_only
      from crm_connections c
     limit 1`.execute(db)
  return rows[0]
}
