import type { Db } from '../storage/open-database.js'

export interface AuditEntry {
  actorUserId: string | null
  action: string
  targetType?: string
  targetId?: string
  /** Never put a secret here: audit details are shown to admins as they are. */
  details?: Record<string, unknown>
}

export async function recordAuditEvent(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute()
}
