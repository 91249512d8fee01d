// Admin routes for opportunity members, suggestions, the automatic-assignment setting and access questions.
import * as byFilterApi from '../../../contracts/api/bulk-by-filter.api.js'
import * as overviewApi from '../../../contracts/api/member-overview.api.js'
import * as api from '../../../contracts/api/members.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { getVisibleOpportunity } from '../opportunities/opportunity-detail.repository.js'
import { readOpportunityDetail } from '../opportunities/read-mode.js'
import { explainAccess } from './access-explanation.js'
import { findAssignableUsers } from './assignable-users.repository.js'
import { readAssignmentSettings } from './assignment-settings.repository.js'
import { changeAutoAssign } from './automatic-assignments.js'
import { listMembers, toMemberUser } from './members.repository.js'
import {
  acceptSuggestions,
  addMember,
  addMemberAsMember,
  bulkChangeMembers,
  findAddablePeopleFor,
  removeMember,
} from './members.service.js'
import { findRuleMatches } from './rule-matches.repository.js'
import { bulkChangeMembersByFilter } from './bulk-by-filter.js'
import { readMemberOpportunities, readMemberOverview } from './member-overview.js'
import { exportAssignments } from './assignment-export.js'
import { importAssignments } from './assignment-import.js'

export function registerMemberRoutes(route: Route, deps: AppDeps): void {
  const { db } = deps
  const asAdmin = (userId: string) => ({ userId, isAdmin: true })

  route(api.getOpportunityForAdmin, async ({ params, user }) => ({
    // Live from Salesforce when "Cache data locally" is off (this route is never read-cached).
    opportunity: await readOpportunityDetail(deps, params.id, asAdmin(user.id), () => undefined),
    members: await listMembers(db, params.id),
  }))

  route(api.listOpportunityMembers, async ({ params, user }) => {
    await getVisibleOpportunity(db, params.id, asAdmin(user.id))
    return { members: await listMembers(db, params.id) }
  })

  route(api.addOpportunityMember, async ({ params, body, user }) =>
    addMember(deps, user.id, params.id, body.userId),
  )

  route(api.addMemberAsMember, async ({ params, body, user }) =>
    addMemberAsMember(deps, { userId: user.id, isAdmin: user.role === 'admin' }, params.id, body.userId),
  )

  route(api.listAddablePeople, async ({ params, query, user }) =>
    findAddablePeopleFor(deps, { userId: user.id, isAdmin: user.role === 'admin' }, params.id, query.search),
  )

  route(api.removeOpportunityMember, async ({ params, user }) =>
    removeMember(deps, user.id, params.id, params.userId),
  )

  route(api.bulkChangeMembers, async ({ body, user }) => bulkChangeMembers(deps, user.id, body))
  route(byFilterApi.bulkChangeMembersByFilter, async ({ body, user }) =>
    bulkChangeMembersByFilter(deps, user.id, body),
  )
  // The file's text travels as a JSON string: JSON escapes and UTF-8 make it up to three bytes a character.
  route(api.importAssignments, async ({ body, user }) => importAssignments(deps, user.id, body), {
    jsonBodyLimit: 3 * api.ASSIGNMENT_CSV_MAX_CHARS + 1024,
  })

  route(api.exportAssignments, async ({ user, reply }) =>
    reply
      .header('content-disposition', 'attachment; filename="assignments.csv"')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(await exportAssignments(deps, user.id)),
  )

  route(api.listMemberSuggestions, async ({ params, user }) => {
    await getVisibleOpportunity(db, params.id, asAdmin(user.id))
    const matches = await findRuleMatches(db, params.id)
    return {
      suggestions: matches
        .filter((match) => match.user.is_active && !match.isManualMember)
        .map((match) => ({
          user: toMemberUser(match.user),
          reasons: match.reasons,
          teamRoles: match.teamRoles,
          isAutomaticMember: match.isAutomaticMember,
        })),
    }
  })

  route(api.acceptMemberSuggestions, async ({ params, body, user }) =>
    acceptSuggestions(deps, user.id, params.id, body.userIds),
  )

  route(overviewApi.getMemberOverview, async ({ query }) => readMemberOverview(db, query))

  route(overviewApi.listMemberOpportunities, async ({ params, query }) =>
    readMemberOpportunities(deps, params.userId, query),
  )

  route(api.explainAccess, async ({ query }) => explainAccess(db, query.userId, query.opportunityId))

  route(api.getAssignmentSettings, async () => ({ settings: await readAssignmentSettings(db) }))

  route(api.updateAssignmentSettings, async ({ body, user }) => {
    const applied = await changeAutoAssign(deps, user.id, body.autoAssign)
    return { settings: await readAssignmentSettings(db), applied }
  })

  route(api.listAssignableUsers, async ({ query }) => {
    const rows = await findAssignableUsers(db, query)
    return { users: rows.map((row) => ({ ...toMemberUser(row), isMember: row.is_member })) }
  })
}
