// Approvals in flight for "Connect with Salesforce" (an admin's, purpose 'connection') and "Connect my
// Salesforce account" (a user's, 'user_link'): the sealed request waits here, keyed by the state's hash.
import type { Db } from '../../storage/open-database.js'

export type ApprovalPurpose = 'connection' | 'user_link'

export interface PendingApproval {
  stateHash: string
  sealedRequest: string
  createdBy: string
  expiresAt: Date
  purpose: ApprovalPurpose
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
      purpose: approval.purpose,
    })
    .execute()
}

/** Takes an approval of that purpose out (a state is used once), expired or not: the caller checks. */
export function takePendingApproval(db: Db, stateHash: string, purpose: ApprovalPurpose) {
  return db
    .deleteFrom('crm_oauth_pending')
    .where('state_hash', '=', stateHash)
    .where('purpose', '=', purpose)
    .returning(['sealed_request', 'expires_at', 'created_by'])
    .executeTakeFirst()
}

/** Re-seals every approval in flight (key rotation; call inside the rotation's transaction). */
export async function resealPendingApprovals(
  db: Db,
  reseal: (sealed: string, stateHash: string, purpose: ApprovalPurpose) => string,
): Promise<number> {
  const rows = await db
    .selectFrom('crm_oauth_pending')
    .select(['state_hash', 'sealed_request', 'purpose'])
    .forUpdate()
    .execute()
  for (const row of rows) {
    await db
      .updateTable('crm_oauth_pending')
      .set({ sealed_request: reseal(row.sealed_request, row.state_hash, row.purpose) })
      .where('state_hash', '=', row.state_hash)
      .execute()
  }
  return rows.length
}
