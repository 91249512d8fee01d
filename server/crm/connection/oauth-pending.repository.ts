// Approvals in flight for "Connect with Salesforce": the sealed request waits here, keyed by the state's hash.
import type { Db } from '../../storage/open-database.js'

export interface PendingApproval {
  stateHash: string
  sealedRequest: string
  createdBy: string
  expiresAt: Date
}

/** Drops expired approvals and stores a new one. */
export async function savePendingApproval(db: Db, approval: PendingApproval, now: Date): Promise<void> {
  await db.deleteFrom('crm_oauth_pending').where('expires_at', '<', now).execute()
  await db
    .insertInto('crm_oauth_pending')
    .values({
      state_hash: approval.stateHash,
      sealed_request: approval.sealedRequest,
      created_by: approval.createdBy,
      expires_at: approval.expiresAt,
    })
    .execute()
}

/** Takes an approval out (a state is used once), expired or not: the caller checks. */
export function takePendingApproval(db: Db, stateHash: string) {
  return db
    .deleteFrom('crm_oauth_pending')
    .where('state_hash', '=', stateHash)
    .returning(['sealed_request', 'expires_at', 'created_by'])
    .executeTakeFirst()
}

/** Re-seals every approval in flight (key rotation; call inside the rotation's transaction). */
export async function resealPendingApprovals(
  db: Db,
  reseal: (sealed: string, stateHash: string) => string,
): Promise<number> {
  const rows = await db
    .selectFrom('crm_oauth_pending')
    .select(['state_hash', 'sealed_request'])
    .forUpdate()
    .execute()
  for (const row of rows) {
    await db
      .updateTable('crm_oauth_pending')
      .set({ sealed_request: reseal(row.sealed_request, row.state_hash) })
      .where('state_hash', '=', row.state_hash)
      .execute()
  }
  return rows.length
}
