// CSV import of assignments: every line is checked first (assignment-csv.ts); a dry run or a file with any bad
// line writes nothing, otherwise every assignment is written in one transaction, as manual assignments, and
// each person added is told as the admin's single add tells them (the 'added' notification and its email).
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { checkAssignments, parseAssignmentCsv, type LineError } from './assignment-csv.js'
import { activeUsersByEmail, liveOpportunityIdsByAnyForm } from './assignment-import.repository.js'
import { addManualMemberships } from './members.repository.js'
import { tellAdded } from './members.service.js'

export interface ImportResult {
  dryRun: boolean
  rows: number
  /** Assignments that were (or, in a dry run, would be) new. */
  added: number
  /** Already manual assignments, left as they were. */
  unchanged: number
  errors: LineError[]
}

export async function importAssignments(
  deps: AppDeps,
  actorUserId: string,
  input: { csv: string; dryRun: boolean },
): Promise<ImportResult> {
  const { lines } = parseAssignmentCsv(input.csv)
  const users = await activeUsersByEmail(
    deps.db,
    lines.map((line) => line.email),
  )
  const stored = await liveOpportunityIdsByAnyForm(
    deps.db,
    lines.map((line) => line.opportunityId),
  )
  const checked = checkAssignments(input.csv, {
    userIdByEmail: (email) => users.get(email.toLowerCase()),
    opportunityId: (id) =>
      stored.find((full) => full === id || (id.length === 15 && full.slice(0, 15) === id)),
  })
  const rows = checked.assignments.length
  if (checked.errors.length > 0)
    return { dryRun: input.dryRun, rows: lines.length, added: 0, unchanged: 0, errors: checked.errors }
  const byUser = new Map<string, string[]>()
  for (const { userId, opportunityId } of checked.assignments) {
    byUser.set(userId, [...(byUser.get(userId) ?? []), opportunityId])
  }
  // A dry run does the same writes and rolls them back, so its counts are the real import's.
  const rollback = new Error('dry run')
  let added = 0
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const [userId, ids] of byUser) {
        const changed = await addManualMemberships(trx, userId, ids, actorUserId, deps.clock.now())
        added += changed.length
        if (changed.length > 0 && !input.dryRun) {
          await tellAdded(deps, trx, { userId, opportunityIds: changed, actorId: actorUserId })
          await recordAuditEvent(trx, {
            actorUserId,
            action: 'crm.members.bulk_added',
            targetType: 'user',
            targetId: userId,
            details: { opportunityIds: changed, source: 'csv' },
          })
        }
      }
      if (input.dryRun) throw rollback
    })
  } catch (err) {
    if (err !== rollback) throw err
  }
  return { dryRun: input.dryRun, rows, added, unchanged: rows - added, errors: [] }
}
