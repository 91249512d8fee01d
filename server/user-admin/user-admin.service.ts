// Workspace users as admins manage them. Every change is audited; deactivation ends sessions at once.
import type { Role } from '../../contracts/api/auth.api.js'
import type { OneTimeLink } from '../../contracts/api/users.api.js'
import { recordAuditEvent } from '../audit/audit.repository.js'
import { endAllSessions } from '../auth/auth.service.js'
import { issueOneTimeToken, linkFor, RESET_LINK_HOURS } from '../auth/one-time-links.js'
import { hashPassword } from '../auth/password.js'
import { queueLinkRevocations } from '../crm/connection/link-revocation.js'
import type { AppDeps } from '../deps.js'
import { AppError, notFound } from '../errors.js'
import type { Db } from '../storage/open-database.js'
import {
  countActiveAdmins,
  findUserById,
  insertUser,
  isDuplicateEmailError,
  updateUserRow,
  type UserRow,
} from '../users/users.repository.js'

const NEW_ACCOUNT_LINK_HOURS = 24 * 7

function duplicateEmail(): AppError {
  return new AppError('CONFLICT', 'A user with this email already exists.', {
    email: 'This email is already in use.',
  })
}

async function withDuplicateEmailCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (isDuplicateEmailError(err)) throw duplicateEmail()
    throw err
  }
}

export async function createUser(
  deps: AppDeps,
  actorId: string,
  input: { name: string; email: string; role: Role; password?: string | undefined },
): Promise<{ user: UserRow; passwordLink: OneTimeLink | null }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null
  return withDuplicateEmailCheck(() =>
    deps.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        name: input.name,
        email: input.email,
        role: input.role,
        password_hash: passwordHash,
      })
      await recordAuditEvent(trx, {
        actorUserId: actorId,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email, role: user.role },
      })
      if (passwordHash) return { user, passwordLink: null }
      const { token, expiresAt } = await issueOneTimeToken(
        deps,
        trx,
        'password_reset',
        user.id,
        NEW_ACCOUNT_LINK_HOURS,
      )
      return { user, passwordLink: linkFor(deps, 'reset-password', token, expiresAt) }
    }),
  )
}

export async function updateUser(
  deps: AppDeps,
  actorId: string,
  userId: string,
  changes: {
    name?: string | undefined
    email?: string | undefined
    role?: Role | undefined
    isActive?: boolean | undefined
  },
): Promise<UserRow> {
  return withDuplicateEmailCheck(() =>
    deps.db.transaction().execute(async (trx) => {
      const before = await findUserById(trx, userId)
      if (!before) throw notFound('The user')
      const losesAdmin =
        before.role === 'admin' &&
        before.is_active &&
        (changes.role === 'member' || changes.isActive === false)
      if (losesAdmin) await assertAnotherAdminRemains(trx, actorId, userId)
      const after = await updateUserRow(trx, userId, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.email !== undefined ? { email: changes.email } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
      })
      if (!after) throw notFound('The user')
      if (changes.isActive === false) {
        await endAllSessions(trx, userId)
        // The trigger on is_active moved their Salesforce links to revocation; revoked once this commits.
        await queueLinkRevocations(deps, trx)
      }
      await recordAuditEvent(trx, {
        actorUserId: actorId,
        action: changes.isActive === false ? 'user.deactivated' : 'user.updated',
        targetType: 'user',
        targetId: userId,
        details: describeChanges(before, after),
      })
      return after
    }),
  )
}

async function assertAnotherAdminRemains(db: Db, actorId: string, userId: string): Promise<void> {
  if (actorId === userId) {
    throw new AppError('CONFLICT', 'You cannot remove your own admin access. Ask another admin to do it.')
  }
  if ((await countActiveAdmins(db)) <= 1) {
    throw new AppError('CONFLICT', 'This is the last active admin. Make another user an admin first.')
  }
}

function describeChanges(before: UserRow, after: UserRow): Record<string, unknown> {
  const changed: Record<string, unknown> = {}
  for (const key of ['name', 'email', 'role', 'is_active'] as const) {
    if (before[key] !== after[key]) changed[key] = { from: before[key], to: after[key] }
  }
  return changed
}

export async function issuePasswordResetLink(
  deps: AppDeps,
  actorId: string,
  userId: string,
): Promise<OneTimeLink> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId)
    if (!user) throw notFound('The user')
    const { token, expiresAt } = await issueOneTimeToken(
      deps,
      trx,
      'password_reset',
      userId,
      RESET_LINK_HOURS,
    )
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: 'user.password_reset_link_issued',
      targetType: 'user',
      targetId: userId,
    })
    return linkFor(deps, 'reset-password', token, expiresAt)
  })
}
