// First run: while no active admin exists, the server prints a one-time setup link; the page behind it
// creates the first network admin. Nobody can claim the instance without access to the server's log.
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { recordAuditEvent } from '../audit/audit.repository.js'
import { countActiveAdmins, insertUser, isDuplicateEmailError } from '../users/users.repository.js'
import type { ClientInfo } from '../http/request-auth.js'
import { openSession, type OpenedSession } from './auth.service.js'
import { consumeOneTimeToken, issueOneTimeToken, linkFor, SETUP_LINK_HOURS } from './one-time-links.js'
import { hashPassword } from './password.js'

export async function isSetupRequired(deps: AppDeps): Promise<boolean> {
  return (await countActiveAdmins(deps.db)) === 0
}

/** Issues a fresh setup link when no admin exists (each start replaces the previous link). */
export async function prepareFirstRunSetup(deps: AppDeps): Promise<string | undefined> {
  if (!(await isSetupRequired(deps))) return undefined
  const { token, expiresAt } = await issueOneTimeToken(
    deps,
    deps.db,
    'first_run_setup',
    null,
    SETUP_LINK_HOURS,
  )
  return linkFor(deps, 'setup', token, expiresAt).url
}

export async function completeFirstRunSetup(
  deps: AppDeps,
  input: { token: string; name: string; email: string; password: string },
  client: ClientInfo,
): Promise<OpenedSession> {
  const passwordHash = await hashPassword(input.password)
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const consumed = await consumeOneTimeToken(trx, 'first_run_setup', input.token, deps.clock.now())
      if (!consumed || (await countActiveAdmins(trx)) > 0) {
        throw new AppError(
          'SETUP_LINK_INVALID',
          'This setup link has already been used or has expired. If no admin exists yet, restart the server: it prints a new link in its log.',
        )
      }
      const user = await insertUser(trx, {
        name: input.name,
        email: input.email,
        password_hash: passwordHash,
        role: 'admin',
      })
      await recordAuditEvent(trx, {
        actorUserId: user.id,
        action: 'setup.completed',
        targetType: 'user',
        targetId: user.id,
      })
      return openSession(
        deps,
        trx,
        { id: user.id, name: user.name, email: user.email, role: user.role },
        client,
      )
    })
  } catch (err) {
    if (isDuplicateEmailError(err)) {
      throw new AppError('CONFLICT', 'A user with this email already exists.', {
        email: 'This email is already in use.',
      })
    }
    throw err
  }
}
