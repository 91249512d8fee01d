// "Select all N matching this filter": one user added to or removed from every opportunity the All
// Opportunities filters match, in one transaction with its notifications and audit event. The admin confirmed a
// count; when the filters match another number now (a sync, another admin), nothing is written and the answer
// is 409 SELECTION_CHANGED, so the admin sees the new count before anything changes.
import { MAX_BULK_BY_FILTER } from '../../../contracts/api/bulk-by-filter.api.js'
import type { OpportunityFilters } from '../../../contracts/api/opportunities.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { withActivitySince } from '../opportunities/opportunity-list-sql.repository.js'
import { readMode } from '../opportunities/read-mode.js'
import { addManualMembershipsMatching, removeManualMembershipsMatching } from './bulk-by-filter.repository.js'
import { assertAssignableUser, tellAdded } from './members.service.js'

/** How many of the changed ids the audit event keeps (the first ones the statement returned). */
const AUDITED_IDS = 100

export async function bulkChangeMembersByFilter(
  deps: AppDeps,
  actorUserId: string,
  input: { filters: OpportunityFilters; expectedCount: number; userId: string; action: 'add' | 'remove' },
): Promise<{ matched: number; changed: number; unchanged: number }> {
  // Refused before counting. A confirmed count within the cap whose filters now match more is SELECTION_CHANGED.
  if (input.expectedCount > MAX_BULK_BY_FILTER) {
    throw new AppError(
      'SELECTION_TOO_LARGE',
      `One change can reach at most ${MAX_BULK_BY_FILTER} opportunities, not ${input.expectedCount}. Narrow the filters and try again.`,
      undefined,
      undefined,
      { limit: MAX_BULK_BY_FILTER, expectedCount: input.expectedCount },
    )
  }
  // With the cache off the list and its count come from Salesforce; the local rows are not what was shown.
  if ((await readMode(deps.db)).source === 'live') {
    throw new AppError(
      'CONFLICT',
      'Selecting every match needs "Cache data locally" on. Select the opportunities on the page instead.',
    )
  }
  const now = deps.clock.now()
  const filters = withActivitySince(input.filters, now)
  return deps.db.transaction().execute(async (trx) => {
    const user = await assertAssignableUser(trx, input.userId)
    const target = { userId: input.userId, filters, expected: input.expectedCount }
    const result =
      input.action === 'add'
        ? await addManualMembershipsMatching(trx, { ...target, actorUserId, now })
        : await removeManualMembershipsMatching(trx, target)
    if (result.matched !== input.expectedCount) {
      throw new AppError(
        'SELECTION_CHANGED',
        `The filters now match ${result.matched} opportunities, not ${input.expectedCount}. Nothing was changed; check the new count and confirm again.`,
        undefined,
        undefined,
        { matched: result.matched, expectedCount: input.expectedCount },
      )
    }
    if (result.changed.length > 0) {
      if (input.action === 'add')
        await tellAdded(deps, trx, {
          userId: input.userId,
          opportunityIds: result.changed,
          actorId: actorUserId,
        })
      await recordAuditEvent(trx, {
        actorUserId,
        action: input.action === 'add' ? 'crm.members.bulk_added' : 'crm.members.bulk_removed',
        targetType: 'user',
        targetId: input.userId,
        // The filters and count say what was reached; the ids are a sample, so one event stays small.
        details: {
          email: user.email,
          filters: input.filters,
          changedCount: result.changed.length,
          opportunityIds: result.changed.slice(0, AUDITED_IDS),
        },
      })
    }
    return {
      matched: result.matched,
      changed: result.changed.length,
      unchanged: result.matched - result.changed.length,
    }
  })
}
