// Admin routes for opportunity members, suggestions, the automatic-assignment setting and access questions.
import * as api from '../../../contracts/api/members.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { listConnectionIds } from '../connection/connection.repository.js'
import { getVisibleOpportunity } from '../opportunities/opportunity-detail.repository.js'
import { readOpportunityDetail } from '../opportunities/read-mode.js'
import { explainAccess } from './access-explanation.js'
import { findAssignableUsers } from './assignable-users.repository.js'
import { readAssignmentSettings, writeAutoAssign } from './assignment-settings.repository.js'
import { applyAutomaticAssignments } from './automatic-assignments.js'
import { listMembers, toMemberUser } from './members.repository.js'
import { acceptSuggestions, addMember, bulkChangeMembers, removeMember } from './members.service.js'
import { findRuleMatches } from './rule-matches.repository.js'

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

  route(api.removeOpportunityMember, async ({ params, user }) =>
    removeMember(deps, user.id, params.id, params.userId),
  )

  route(api.bulkChangeMembers, async ({ body, user }) => bulkChangeMembers(deps, user.id, body))

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

  route(api.explainAccess, async ({ query }) => explainAccess(db, query.userId, query.opportunityId))

  route(api.getAssignmentSettings, async () => ({ settings: await readAssignmentSettings(db) }))

  route(api.updateAssignmentSettings, async ({ body, user }) => {
    const changed = await db.transaction().execute(async (trx) => {
      const isChanged = await writeAutoAssign(trx, body.autoAssign, user.id, deps.clock.now())
      if (isChanged) {
        await recordAuditEvent(trx, {
          actorUserId: user.id,
          action: body.autoAssign ? 'crm.auto_assign.enabled' : 'crm.auto_assign.disabled',
          targetType: 'crm_settings',
          targetId: 'auto_assign',
        })
      }
      return isChanged
    })
    const applied = { added: 0, removed: 0 }
    if (changed) {
      // Applied at once rather than on the next sync, so the admin sees the effect of the switch.
      for (const connectionId of await listConnectionIds(db)) {
        const result = await applyAutomaticAssignments(db, connectionId)
        applied.added += result.added
        applied.removed += result.removed
      }
    }
    return { settings: await readAssignmentSettings(db), applied }
  })

  route(api.listAssignableUsers, async ({ query }) => {
    const rows = await findAssignableUsers(db, query)
    return { users: rows.map((row) => ({ ...toMemberUser(row), isMember: row.is_member })) }
  })
}
