// Groups map to roles: a member of the admin group (the groups claim at sign-in, or the SCIM group of that
// name) is a network admin, and leaving the group makes them a member again. The last active admin and the
// break-glass admin are never demoted this way, so the identity provider cannot lock the admins out.
import type { Role } from '../../contracts/api/auth.api.js'
import { recordAuditEvent } from '../audit/audit.repository.js'
import type { Db } from '../storage/open-database.js'
import { countActiveAdmins, findUserById, updateUserRow } from '../users/users.repository.js'

export function isInGroup(groups: readonly string[], group: string): boolean {
  const wanted = group.toLowerCase()
  return groups.some((name) => name.toLowerCase() === wanted)
}

/** Applies the admin group to one user; returns the role they have afterwards. */
export async function applyGroupRole(
  db: Db,
  options: {
    userId: string
    isAdminGroupMember: boolean
    breakGlassUserId: string | null
    via: 'oidc' | 'scim'
  },
): Promise<Role | undefined> {
  const user = await findUserById(db, options.userId)
  if (!user) return undefined
  const wanted: Role = options.isAdminGroupMember ? 'admin' : 'member'
  if (user.role === wanted) return wanted
  if (wanted === 'member') {
    const isProtected =
      user.id === options.breakGlassUserId || (user.is_active && (await countActiveAdmins(db)) <= 1)
    if (isProtected) return user.role
  }
  await updateUserRow(db, user.id, { role: wanted })
  await recordAuditEvent(db, {
    actorUserId: null,
    action: 'identity.role_changed',
    targetType: 'user',
    targetId: user.id,
    details: { from: user.role, to: wanted, via: options.via },
  })
  return wanted
}
