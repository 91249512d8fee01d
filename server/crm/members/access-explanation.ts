// Why can this user see this opportunity? Mirrors the real checks: the member routes need the module on,
// an active account, a live record, and a membership row (any flag) unless the user is an admin.
import type { EndpointResponse } from '../../../contracts/api/endpoint.js'
import type { explainAccess as explainAccessEndpoint } from '../../../contracts/api/members.api.js'
import { notFound } from '../../errors.js'
import { isModuleEnabled } from '../../modules/modules.repository.js'
import type { Db } from '../../storage/open-database.js'
import { findOpportunityState } from '../opportunities/opportunity-detail.repository.js'
import { findUserById } from '../../users/users.repository.js'
import { isAutoAssignEnabled } from './assignment-settings.repository.js'
import { findMember } from './members.repository.js'
import { findRuleMatches } from './rule-matches.repository.js'

type AccessExplanation = EndpointResponse<typeof explainAccessEndpoint>
type Reason = AccessExplanation['reasons'][number]
type Blocker = AccessExplanation['blockers'][number]

export async function explainAccess(
  db: Db,
  userId: string,
  opportunityId: string,
): Promise<AccessExplanation> {
  const user = await findUserById(db, userId)
  if (!user) throw notFound('This user')
  const opportunity = await findOpportunityState(db, opportunityId)
  if (!opportunity) throw notFound('This opportunity')

  const [member, matches, moduleEnabled, autoAssign] = [
    await findMember(db, opportunityId, userId),
    await findRuleMatches(db, opportunityId, { userId }),
    await isModuleEnabled(db, 'crm'),
    await isAutoAssignEnabled(db),
  ]
  const isAdmin = user.role === 'admin'
  const reasons: Reason[] = []
  if (isAdmin) reasons.push('admin')
  if (member?.isManual) reasons.push('manual')
  if (member?.viaOwnerRule) reasons.push('owner_rule')
  if (member?.viaTeamRule) reasons.push('team_rule')

  const blockers: Blocker[] = []
  if (!user.is_active) blockers.push('user_inactive')
  if (!moduleEnabled && !isAdmin) blockers.push('module_disabled')
  if (opportunity.is_deleted) blockers.push('opportunity_deleted')

  const matched = matches[0]?.reasons ?? []
  const ruleWouldMatch = matched.filter((reason) =>
    reason === 'owner' ? !member?.viaOwnerRule : !member?.viaTeamRule,
  )
  const canSee = reasons.length > 0 && blockers.length === 0
  return {
    canSee,
    reasons,
    blockers,
    ruleWouldMatch,
    explanation: describe(
      { name: user.name, opportunity: opportunity.name ?? opportunity.id, canSee, reasons, blockers },
      member,
      {
        ruleWouldMatch,
        autoAssign,
      },
    ),
  }
}

const reasonText: Record<Reason, string> = {
  admin: 'is a network admin (admins see every opportunity)',
  manual: 'was added as a member',
  owner_rule: 'owns it in Salesforce (automatic assignment)',
  team_rule: 'is on its Salesforce opportunity team (automatic assignment)',
}

const blockerText: Record<Blocker, string> = {
  user_inactive: 'the account is deactivated',
  module_disabled: 'the CRM module is turned off',
  opportunity_deleted: 'it was deleted in Salesforce',
}

function describe(
  facts: { name: string; opportunity: string; canSee: boolean; reasons: Reason[]; blockers: Blocker[] },
  member: { manualAddedBy: { name: string } | null; manualAddedAt: string | null } | undefined,
  rule: { ruleWouldMatch: Array<'owner' | 'team'>; autoAssign: boolean },
): string {
  const grants = facts.reasons.map((reason) =>
    reason === 'manual' && member?.manualAddedBy
      ? `was added by ${member.manualAddedBy.name} on ${member.manualAddedAt?.slice(0, 10) ?? 'an unknown date'}`
      : reasonText[reason],
  )
  const head = facts.canSee
    ? `${facts.name} can see "${facts.opportunity}": ${facts.name} ${grants.join(', and ')}.`
    : `${facts.name} cannot see "${facts.opportunity}"`
  if (facts.canSee) return head
  const why =
    facts.blockers.length > 0
      ? `: ${facts.blockers.map((blocker) => blockerText[blocker]).join(', and ')}.`
      : ': not a member, and not an admin.'
  const hint =
    rule.ruleWouldMatch.length > 0 && !rule.autoAssign
      ? ' Their email matches the Salesforce owner or team; turning on automatic assignment would add them.'
      : ''
  return `${head}${why}${hint}`
}
