// Stages and owners for the admin's filter menus, counted over live opportunities. Two grouped scans of the
// cache; the answer sits in the read cache until the next write, so a busy list page pays for it rarely.
import { getOpportunityFilterOptions } from '../../../contracts/api/opportunity-filters.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { readFilterOptions } from './filter-options.repository.js'
import { liveStageCounts } from './live/live-admin.js'
import { readMode } from './read-mode.js'

export function registerFilterOptionRoutes(route: Route, deps: AppDeps): void {
  route(
    getOpportunityFilterOptions,
    async (call) => {
      const options = await readFilterOptions(deps.db)
      const mode = await readMode(deps.db)
      if (mode.source === 'cache') return options
      // Cache off: owners still come from the key index; stages only Salesforce knows.
      call.doNotCache()
      return { ...options, stages: await liveStageCounts(deps, mode.connectionId) }
    },
    { cache: true },
  )
}
