// Signing in and out, and turning a session cookie into the signed-in user.
import type { SessionUser } from '../../contracts/api/auth.api.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AuthState, ClientInfo } from '../http/request-auth.js'
import { assertPasswordSignInAllowed } from '../identity/oidc/sso-policy.js'
import type { Db } from '../storage/open-database.js'
import { findUserByEmail, recordLastLogin } from '../users/users.repository.js'
import { clearAccountFailures, releaseLoginAttempt } from './login-failures.repository.js'
import { claimLoginAttempt, recordLoginFailure } from './login-throttle.js'
import { verifyPassword } from './password.js'
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionWithUser,
  insertSession,
  touchSession,
  type SessionWithUser,
} from './sessions.repository.js'
import { hashToken, newToken } from './tokens.js'

export interface OpenedSession {
  /** The raw token for the cookie; only its hash is stored. */
  token: string
  csrfToken: string
  expiresAt: Date
  user: SessionUser
}

// Refreshing last_seen_at on every request would turn every read into a write; once a minute is enough
// for an idle timeout measured in tens of minutes.
const TOUCH_INTERVAL_MS = 60_000

export async function openSession(
  deps: AppDeps,
  db: Db,
  user: SessionUser,
  client: ClientInfo,
): Promise<OpenedSession> {
  const now = deps.clock.now()
  const token = newToken()
  const csrfToken = newToken()
  const expiresAt = new Date(now.getTime() + deps.config.sessions.absoluteHours * 3_600_000)
  await insertSession(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken,
    now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  })
  return { token, csrfToken, expiresAt, user }
}

export async function login(
  deps: AppDeps,
  credentials: { email: string; password: string },
  client: ClientInfo,
): Promise<OpenedSession> {
  const { db, clock } = deps
  const subject = { email: credentials.email, address: client.ip }
  // Counted before the (slow) password check, so parallel guesses cannot all pass the limit.
  const attempt = await claimLoginAttempt(db, subject, clock.now())
  const user = await findUserByEmail(db, credentials.email)
  const isValid = await verifyPassword(user?.password_hash ?? null, credentials.password)
  if (!user || !isValid) {
    await recordLoginFailure(db, clock.now())
    throw new AppError('INVALID_CREDENTIALS', 'The email or password is not correct.')
  }
  await releaseLoginAttempt(db, attempt)
  if (!user.is_active) {
    throw new AppError(
      'ACCOUNT_DISABLED',
      'This account has been deactivated. Ask your network admin to reactivate it.',
    )
  }
  // Checked only once the password is right, so the answer never tells who the break-glass admin is.
  await assertPasswordSignInAllowed(db, user.id)
  await clearAccountFailures(db, credentials.email)
  return db.transaction().execute(async (trx) => {
    await recordLastLogin(trx, user.id, clock.now())
    return openSession(
      deps,
      trx,
      { id: user.id, name: user.name, email: user.email, role: user.role },
      client,
    )
  })
}

export async function logout(deps: AppDeps, tokenHash: string): Promise<void> {
  deps.readCache.forgetSession(tokenHash)
  await deleteSession(deps.db, tokenHash)
}

export async function authenticate(deps: AppDeps, token: string | undefined): Promise<AuthState> {
  if (!token) return { status: 'anonymous' }
  const tokenHash = hashToken(token)
  const now = deps.clock.now()
  // A cached session is used only while nothing about it needs the database: not near any expiry and not
  // due for its "last seen" refresh. Deactivation, sign-out and role changes flush it (read-cache.ts).
  const cached = deps.readCache.session(tokenHash)
  if (cached && !isDue(deps, cached, now)) return signedIn(cached)

  const generation = deps.readCache.sessionGeneration()
  const session = await findSessionWithUser(deps.db, tokenHash)
  if (!session) return { status: 'expired' }
  const idleLimit = deps.config.sessions.idleMinutes * 60_000
  const isExpired =
    session.expiresAt.getTime() <= now.getTime() || now.getTime() - session.lastSeenAt.getTime() >= idleLimit
  if (isExpired || !session.user.isActive) {
    deps.readCache.forgetSession(tokenHash)
    await deleteSession(deps.db, tokenHash)
    return { status: 'expired' }
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(deps.db, tokenHash, now)
    session.lastSeenAt = now
  }
  deps.readCache.rememberSession(tokenHash, session, generation)
  return signedIn(session)
}

/** True when the session must be checked against the database: touch due, or an expiry within reach. */
function isDue(deps: AppDeps, session: SessionWithUser, now: Date): boolean {
  const sinceSeen = now.getTime() - session.lastSeenAt.getTime()
  return (
    !session.user.isActive ||
    sinceSeen >= TOUCH_INTERVAL_MS ||
    sinceSeen >= deps.config.sessions.idleMinutes * 60_000 ||
    session.expiresAt.getTime() <= now.getTime()
  )
}

function signedIn(session: SessionWithUser): AuthState {
  const { id, name, email, role } = session.user
  return {
    status: 'signed-in',
    user: { id, name, email, role },
    tokenHash: session.tokenHash,
    csrfToken: session.csrfToken,
  }
}

/** Ends every session of a user at once (deactivation, password reset). */
export async function endAllSessions(db: Db, userId: string): Promise<void> {
  await deleteSessionsOfUser(db, userId)
}
