// A password-reset link, used: the link is consumed, the password set and every session of the user ended
// in one transaction, so a link works once and whoever held the old password is signed out.
import { recordAuditEvent } from '../audit/audit.repository.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { findUserById, updateUserRow } from '../users/users.repository.js'
import { endAllSessions } from './auth.service.js'
import { consumeOneTimeToken } from './one-time-links.js'
import { hashPassword } from './password.js'

export async function resetPassword(
  deps: AppDeps,
  input: { token: string; password: string },
): Promise<void> {
  const passwordHash = await hashPassword(input.password)
  await deps.db.transaction().execute(async (trx) => {
    const consumed = await consumeOneTimeToken(trx, 'password_reset', input.token, deps.clock.now())
    const user = consumed?.userId ? await findUserById(trx, consumed.userId) : undefined
    if (!user || !user.is_active) {
      throw new AppError(
        'RESET_LINK_INVALID',
        'This password link has already been used or has expired. Ask your admin for a new one.',
      )
    }
    await updateUserRow(trx, user.id, { password_hash: passwordHash })
    // Whoever held the old password must not stay signed in.
    await endAllSessions(trx, user.id)
    await recordAuditEvent(trx, {
      actorUserId: user.id,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: user.id,
    })
  })
}
