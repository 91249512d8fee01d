// One-time links: the first-run setup link (printed in the server log while no admin exists) and the
// password-reset links admins hand out. Only hashes are stored; using a link deletes it in the same
// transaction that acts on it, so a link works once even under concurrent clicks.
import type { OneTimeLink } from '../../contracts/api/users.api.js'
import type { AppDeps } from '../deps.js'
import type { Db } from '../storage/open-database.js'
import { replaceOneTimeToken, takeOneTimeToken, type Purpose } from './one-time-tokens.repository.js'
import { hashToken, newToken } from './tokens.js'

export const SETUP_LINK_HOURS = 24 * 7
export const RESET_LINK_HOURS = 24

export async function issueOneTimeToken(
  deps: AppDeps,
  db: Db,
  purpose: Purpose,
  userId: string | null,
  validHours: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken()
  const expiresAt = new Date(deps.clock.now().getTime() + validHours * 3_600_000)
  // A new link replaces earlier ones for the same purpose and user.
  await replaceOneTimeToken(db, { tokenHash: hashToken(token), purpose, userId, expiresAt })
  return { token, expiresAt }
}

/** Deletes the token and returns its user id (null for setup tokens), or undefined if it is unknown or expired. */
export async function consumeOneTimeToken(
  db: Db,
  purpose: Purpose,
  token: string,
  now: Date,
): Promise<{ userId: string | null } | undefined> {
  const row = await takeOneTimeToken(db, purpose, hashToken(token))
  if (!row || row.expires_at.getTime() <= now.getTime()) return undefined
  return { userId: row.user_id }
}

export function linkFor(
  deps: AppDeps,
  page: 'setup' | 'reset-password',
  token: string,
  expiresAt: Date,
): OneTimeLink {
  return { url: `${deps.config.http.publicUrl}/${page}?token=${token}`, expiresAt: expiresAt.toISOString() }
}
