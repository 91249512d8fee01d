// "Assign owners and team members automatically": the rule itself is one statement in
// automatic-assignments.repository.ts; this applies it with the current setting and audits what changed.
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { Db } from '../../storage/open-database.js'
import { isAutoAssignEnabled } from './assignment-settings.repository.js'
import { syncAutomaticMemberships } from './automatic-assignments.repository.js'

export interface AutomaticAssignmentResult {
  /** Memberships created or whose automatic flags changed. */
  added: number
  /** Automatic memberships deleted, plus manual ones whose automatic flags were cleared. */
  removed: number
}

/**
 * Brings the automatic flags of `connectionId`'s opportunities (all, or only `opportunityIds`) in line with
 * the rule. With the setting off the rule holds nowhere, so automatic memberships are removed.
 */
export async function applyAutomaticAssignments(
  db: Db,
  connectionId: string,
  opportunityIds?: readonly string[],
): Promise<AutomaticAssignmentResult> {
  if (opportunityIds?.length === 0) return { added: 0, removed: 0 }
  const isEnabled = await isAutoAssignEnabled(db)
  const counts = await syncAutomaticMemberships(db, connectionId, isEnabled, opportunityIds)
  const result = { added: counts.added, removed: counts.deleted + counts.cleared }
  if (result.added > 0 || result.removed > 0) {
    await recordAuditEvent(db, {
      actorUserId: null,
      action: 'crm.members.automatic_applied',
      targetType: 'crm_connection',
      targetId: connectionId,
      details: { ...result, scope: opportunityIds ? opportunityIds.length : 'all', autoAssign: isEnabled },
    })
  }
  return result
}
