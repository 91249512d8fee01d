// "Assign owners and team members automatically": the rule itself is one statement in
// automatic-assignments.repository.ts; this applies it with the current setting and audits what changed.
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import { listConnectionIds } from '../connection/connection.repository.js'
import { isAutoAssignEnabled, writeAutoAssign } from './assignment-settings.repository.js'
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

/**
 * The admin's switch: the setting and its audit event in one transaction, then (only if it changed) the
 * rule applied to every connection at once rather than on the next sync, so the admin sees its effect.
 */
export async function changeAutoAssign(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actorUserId: string,
  autoAssign: boolean,
): Promise<AutomaticAssignmentResult> {
  const changed = await deps.db.transaction().execute(async (trx) => {
    const isChanged = await writeAutoAssign(trx, autoAssign, actorUserId, deps.clock.now())
    if (isChanged) {
      await recordAuditEvent(trx, {
        actorUserId,
        action: autoAssign ? 'crm.auto_assign.enabled' : 'crm.auto_assign.disabled',
        targetType: 'crm_settings',
        targetId: 'auto_assign',
      })
    }
    return isChanged
  })
  const applied = { added: 0, removed: 0 }
  if (!changed) return applied
  for (const connectionId of await listConnectionIds(deps.db)) {
    const result = await applyAutomaticAssignments(deps.db, connectionId)
    applied.added += result.added
    applied.removed += result.removed
  }
  return applied
}
