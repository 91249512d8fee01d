// Joiners and leavers arriving from the identity provider. Deactivation ends every session of the user in
// the same transaction (and the read cache forgets them when it commits), revokes their own Salesforce links
// after commit (crm/connection/link-revocation.ts), takes them out of pickers and
// notifications (users/active-users.repository.ts) and keeps their assignments, so reactivation gives back
// exactly what they had. The break-glass admin and the last active admin cannot be deactivated this way.
import { recordAuditEvent } from '../audit/audit.repository.js'
import { endAllSessions } from '../auth/auth.service.js'
import { queueLinkRevocations } from '../crm/connection/link-revocation.js'
import type { AppDeps } from '../deps.js'
import type { Db } from '../storage/open-database.js'
import { countActiveAdmins, updateUserRow, type UserRow } from '../users/users.repository.js'
import { findOidcSettings } from './oidc/oidc.repository.js'

export type ActivationChange = 'deactivated' | 'reactivated' | 'unchanged'

/** Why the provider may not deactivate this user, or undefined when it may. */
export async function deactivationBlocker(db: Db, user: UserRow): Promise<string | undefined> {
  if (!user.is_active) return undefined
  const settings = await findOidcSettings(db)
  if (settings?.break_glass_user_id === user.id) {
    return 'This user is the break-glass admin; deactivate them in the app, not from the identity provider.'
  }
  if (user.role === 'admin' && (await countActiveAdmins(db)) <= 1) {
    return 'This user is the last active admin; make another user an admin first.'
  }
  return undefined
}

export async function setActivation(
  deps: Pick<AppDeps, 'clock' | 'jobs'>,
  db: Db,
  user: UserRow,
  active: boolean,
  audit: { via: 'scim'; tokenId: string },
): Promise<ActivationChange> {
  if (user.is_active === active) return 'unchanged'
  await updateUserRow(db, user.id, { is_active: active })
  if (!active) {
    await endAllSessions(db, user.id)
    // The trigger on is_active moved their Salesforce links to revocation; revoked once this commits.
    await queueLinkRevocations(deps, db)
  }
  await recordAuditEvent(db, {
    actorUserId: null,
    action: active ? 'user.reactivated' : 'user.deactivated',
    targetType: 'user',
    targetId: user.id,
    details: { email: user.email, ...audit },
  })
  return active ? 'reactivated' : 'deactivated'
}
