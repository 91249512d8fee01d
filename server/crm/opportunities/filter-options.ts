// Stages and owners for the admin's filter menus, counted over live opportunities. Two grouped scans of the
// cache; the answer sits in the read cache until the next write, so a busy list page pays for it rarely.
import { getOpportunityFilterOptions } from '../../../contracts/api/opportunity-filters.api.js'
import { sortByStage } from '../../../contracts/api/stage-order.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { readFilterOptions } from './filter-options.repository.js'
import { liveStageCounts } from './live/live-admin.js'
import { readMode } from './read-mode.js'
import { readStageOrder } from './stage-order.repository.js'

/** The menu's stages in the org's order (issue 17 item 3), each with its SortOrder. */
function inStageOrder(
  stages: Array<{ name: string; count: number }>,
  order: ReadonlyMap<string, number | null>,
): Array<{ name: string; count: number; sortOrder: number | null }> {
  const ordered = stages.map((stage) => ({ ...stage, sortOrder: order.get(stage.name) ?? null }))
  return sortByStage(
    ordered,
    (stage) => stage.name,
    (stage) => stage.sortOrder,
  )
}

export function registerFilterOptionRoutes(route: Route, deps: AppDeps): void {
  route(
    getOpportunityFilterOptions,
    async (call) => {
      const [options, mode, order] = await Promise.all([
        readFilterOptions(deps.db),
        readMode(deps.db),
        readStageOrder(deps.db),
      ])
      if (mode.source === 'cache') return { ...options, stages: inStageOrder(options.stages, order) }
      // Cache off: owners still come from the key index; stage counts only Salesforce knows.
      call.doNotCache()
      return { ...options, stages: inStageOrder(await liveStageCounts(deps, mode.connectionId), order) }
    },
    { cache: true },
  )
}
