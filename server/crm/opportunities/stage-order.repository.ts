// The org's stages as the last sync read them (crm_opportunity_stages): the sync replaces a connection's rows,
// readers get each stage's place in the org's order for menus, board columns and the chart.
import { sql } from 'kysely'

import type { OpportunityStageRecord } from '../../providers/crm-provider.js'
import type { Db } from '../../storage/open-database.js'

/** Makes the connection's stages exactly `stages` (one transaction: readers never see half a list). */
export async function replaceOpportunityStages(
  db: Db,
  connectionId: string,
  stages: readonly OpportunityStageRecord[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('crm_opportunity_stages').where('connection_id', '=', connectionId).execute()
    if (stages.length === 0) return
    // The same ApiName twice would break the key; Salesforce keeps them unique, the first one wins here.
    const firstByName = new Map<string, OpportunityStageRecord>()
    for (const stage of stages) if (!firstByName.has(stage.apiName)) firstByName.set(stage.apiName, stage)
    const unique = [...firstByName.values()]
    await trx
      .insertInto('crm_opportunity_stages')
      .values(
        unique.map((stage) => ({
          connection_id: connectionId,
          api_name: stage.apiName,
          label: stage.label,
          sort_order: stage.sortOrder,
          is_active: stage.isActive,
          is_closed: stage.isClosed,
          is_won: stage.isWon,
          forecast_category_name: stage.forecastCategoryName,
        })),
      )
      .execute()
  })
}

/** StageName → SortOrder of the connection's stages (the one connection, as findCacheState reads it). */
export async function readStageOrder(db: Db): Promise<ReadonlyMap<string, number | null>> {
  const rows = await db
    .selectFrom('crm_opportunity_stages')
    .select(['api_name', 'sort_order'])
    .where('connection_id', '=', sql<string>`(select id from crm_connections limit 1)`)
    .execute()
  return new Map(rows.map((row) => [row.api_name, row.sort_order]))
}
