// Where the portal reads opportunities from: the local cache, or Salesforce live. Live when "Cache data
// locally" is off, and also after it is turned back on until the full sync has refilled every record
// (key-index.repository.ts), so nobody sees blank names in between.
import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import { findCacheState } from './key-index.repository.js'
import { readLiveDetail } from './live/live-opportunities.js'
import { getVisibleOpportunity, type Viewer } from './opportunity-detail.repository.js'
import { toOpportunityDetail } from './opportunity.js'

export type ReadMode = { source: 'cache' } | { source: 'live'; connectionId: string }

export async function readMode(db: Db): Promise<ReadMode> {
  const row = await findCacheState(db)
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
  return readLiveDetail(deps, row, viewer)
}
