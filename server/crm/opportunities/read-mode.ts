// Where the portal reads opportunities from: the local cache, or Salesforce live. Live when "Cache data
// locally" is off, and also after it is turned back on until the full sync has refilled every record
// (key-index.ts), so nobody sees blank names in between.
import { sql } from 'kysely'

import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import { readLiveDetail } from './live/live-opportunities.js'
import { getVisibleOpportunity, type Viewer } from './opportunity-detail.repository.js'
import { toOpportunityDetail } from './opportunity.js'

export type ReadMode = { source: 'cache' } | { source: 'live'; connectionId: string }

export async function readMode(db: Db): Promise<ReadMode> {
  const { rows } = await sql<{ id: string; cache_locally: boolean; key_only: boolean }>`
    select c.id, c.cache_locally,
           exists (select 1 from crm_opportunities o
                    where o.connection_id = c.id and o.name is null and not o.is_deleted) as key_only
      from crm_connections c
     limit 1`.execute(db)
  const row = rows[0]
  if (!row || (row.cache_locally && !row.key_only)) return { source: 'cache' }
  return { source: 'live', connectionId: row.id }
}

/**
 * One opportunity for a viewer from wherever it lives now. Access comes first and locally in both modes
 * (404 unless assigned; 410 if the sync saw it deleted); live mode then reads the record from Salesforce.
 */
export async function readOpportunityDetail(
  deps: AppDeps,
  id: string,
  viewer: Viewer,
  onLive: () => void,
): Promise<OpportunityDetail> {
  const row = await getVisibleOpportunity(deps.db, id, viewer)
  const mode = await readMode(deps.db)
  if (mode.source === 'cache') return toOpportunityDetail(row, row.instance_url)
  onLive()
  return readLiveDetail(deps, row)
}
