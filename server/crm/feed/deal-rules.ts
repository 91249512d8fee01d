// An admin changes an opportunity's own rules (who may post in its feed, who may add people to it), each to
// members, admins only, or back to the module default (null). One transaction with one audit event per rule
// changed, as the module defaults are audited (feed.routes.ts), so the log and the rules never disagree.
import type { DealRules } from '../../../contracts/api/feed.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { getVisibleOpportunity } from '../opportunities/opportunity-detail.repository.js'
import { readDealRules, writeDealRules, type DealRuleChange } from './feed-settings.repository.js'

export async function changeDealRules(
  deps: AppDeps,
  actorUserId: string,
  opportunityId: string,
  change: DealRuleChange,
): Promise<DealRules> {
  return deps.db.transaction().execute(async (trx) => {
    // 404 for an unknown deal, 410 for one deleted in Salesforce (its feed is read-only anyway).
    await getVisibleOpportunity(trx, opportunityId, { userId: actorUserId, isAdmin: true })
    await writeDealRules(trx, opportunityId, change, actorUserId, deps.clock.now())
    for (const [action, key] of [
      ['crm.feed.who_may_post', 'whoMayPost'],
      ['crm.feed.who_may_add_members', 'whoMayAddMembers'],
    ] as const) {
      if (change[key] === undefined) continue
      await recordAuditEvent(trx, {
        actorUserId,
        action,
        targetType: 'crm_opportunity',
        targetId: opportunityId,
        details: { [key]: change[key] },
      })
    }
    return readDealRules(trx, opportunityId)
  })
}
