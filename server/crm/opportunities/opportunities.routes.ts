// Member portal: the signed-in user's opportunities, summary and detail. Admin: All Opportunities and totals.
import * as api from '../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import {
  assertCrmModuleEnabled,
  assertModuleEnabled,
  portalStatus,
  readPortalContext,
} from './crm-portal.repository.js'
import { getVisibleOpportunity } from './opportunity-detail.repository.js'
import { listAllOpportunities, totalAllOpportunities } from './opportunity-lists.repository.js'
import { readMemberListing } from './member-listing.repository.js'
import { summarizeMemberOpportunities } from './opportunity-summary.js'
import { toOpportunityDetail } from './opportunity.js'

// Every answer here is built from the tables migration 0110 watches, so the read cache may keep it.
const cached = { cache: true }

export function registerOpportunityRoutes(route: Route, deps: AppDeps): void {
  const { db } = deps

  route(
    api.listMyOpportunities,
    async ({ query, user }) => {
      const { context, totalCount, page } = await readMemberListing(db, user.id, query)
      assertModuleEnabled(context)
      return { status: portalStatus(context), assignedCount: context.assignedCount, totalCount, ...page }
    },
    cached,
  )

  route(
    api.getMyOpportunitySummary,
    async ({ query, user }) => {
      const context = await readPortalContext(db, user.id)
      assertModuleEnabled(context)
      const summary = await summarizeMemberOpportunities(db, user.id, query, deps.clock.now())
      return { status: portalStatus(context), assignedCount: context.assignedCount, ...summary }
    },
    cached,
  )

  route(
    api.getMyOpportunity,
    async ({ params, user }) => {
      await assertCrmModuleEnabled(db)
      const row = await getVisibleOpportunity(db, params.id, {
        userId: user.id,
        isAdmin: user.role === 'admin',
      })
      return { opportunity: toOpportunityDetail(row, row.instance_url) }
    },
    cached,
  )

  route(api.listAllOpportunities, async ({ query }) => listAllOpportunities(db, query), cached)

  route(api.getAllOpportunitiesTotals, async ({ query }) => totalAllOpportunities(db, query), cached)
}
