// Member portal: the signed-in user's opportunities, summary and detail. Admin: All Opportunities and totals.
// Each route reads from the local cache or, with "Cache data locally" off, live from Salesforce (live/),
// behind the same contract; see read-mode.ts.
import * as api from '../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import type { Db } from '../../storage/open-database.js'
import {
  assertCrmModuleEnabled,
  assertModuleEnabled,
  portalStatus,
  readPortalContext,
} from './crm-portal.repository.js'
import { listAllLive, totalAllLive } from './live/live-admin.js'
import { readLiveMemberListing, summarizeLive } from './live/live-opportunities.js'
import {
  listAllOpportunities,
  totalAllOpportunities,
  type ListViewer,
} from './opportunity-lists.repository.js'
import { readMemberListing } from './member-listing.repository.js'
import { summarizeMemberOpportunities } from './opportunity-summary.js'
import type { Viewer } from './opportunity-detail.repository.js'
import { readMode, readOpportunityDetail } from './read-mode.js'

// Answers built from the tables migration 0110 watches may stay in the read cache; live answers call
// doNotCache(), as no change notification covers Salesforce.
const cached = { cache: true }

const viewerOf = (user: { id: string; role: string }): Viewer => ({
  userId: user.id,
  isAdmin: user.role === 'admin',
})

export function registerOpportunityRoutes(route: Route, deps: AppDeps): void {
  const { db } = deps

  route(
    api.listMyOpportunities,
    async (call) => {
      const { query, user } = call
      const mode = await readMode(db)
      if (mode.source === 'cache') {
        const { context, totalCount, page } = await readMemberListing(db, user.id, query)
        assertModuleEnabled(context)
        return { status: portalStatus(context), assignedCount: context.assignedCount, totalCount, ...page }
      }
      call.doNotCache()
      const context = await readPortalContext(db, user.id)
      assertModuleEnabled(context)
      const live = await readLiveMemberListing(
        deps,
        mode.connectionId,
        viewerOf(user),
        query,
        context.assignedCount,
      )
      const { assignedCount, totalCount, page } = live
      return { status: portalStatus(context), assignedCount, totalCount, ...page }
    },
    cached,
  )

  route(
    api.getMyOpportunitySummary,
    async (call) => {
      const { query, user } = call
      const context = await readPortalContext(db, user.id)
      assertModuleEnabled(context)
      const mode = await readMode(db)
      if (mode.source === 'live') call.doNotCache()
      const summary =
        mode.source === 'cache'
          ? await summarizeMemberOpportunities(db, user.id, query, deps.clock.now())
          : await summarizeLive(deps, mode.connectionId, viewerOf(user), query, deps.clock.now())
      return { status: portalStatus(context), assignedCount: context.assignedCount, ...summary }
    },
    cached,
  )

  route(
    api.getMyOpportunity,
    async (call) => {
      const { params, user } = call
      await assertCrmModuleEnabled(db)
      return {
        opportunity: await readOpportunityDetail(deps, params.id, viewerOf(user), () => call.doNotCache()),
      }
    },
    cached,
  )

  route(api.listAllOpportunities, cacheOrLive(deps, listAllOpportunities, listAllLive), cached)

  route(api.getAllOpportunitiesTotals, cacheOrLive(deps, totalAllOpportunities, totalAllLive), cached)
}

/** A handler that answers from the cache, or live (never kept in the read cache), with the same query. */
function cacheOrLive<Q, R>(
  deps: AppDeps,
  fromCache: (db: Db, query: Q, viewer: ListViewer) => Promise<R>,
  live: (deps: AppDeps, connectionId: string, query: Q, viewer: ListViewer) => Promise<R>,
) {
  return async (call: { query: Q; user: { id: string }; doNotCache(): void }): Promise<R> => {
    const viewer = { userId: call.user.id, now: deps.clock.now() }
    const mode = await readMode(deps.db)
    if (mode.source === 'cache') return fromCache(deps.db, call.query, viewer)
    call.doNotCache()
    return live(deps, mode.connectionId, call.query, viewer)
  }
}
