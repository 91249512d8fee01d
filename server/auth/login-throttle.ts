// Slows password guessing down: at most ACCOUNT_LIMIT failed sign-ins per account and ADDRESS_LIMIT per
// client address within WINDOW_MINUTES (OWASP Authentication Cheat Sheet, "account lockout" with a time-based
// unlock, so an attacker cannot lock a user out for good). Attempts are kept in the database, so the limit
// holds across restarts and across several server processes.
//
// The attempt is counted before the password is checked, and atomically: each attempt first inserts its
// rows (committed on their own), then counts them. The k-th attempt to commit sees at least k rows, so however
// many arrive at once, no more than the limit get past the count in one window. An attempt refused by the
// count takes its rows back (retrying against a locked account does not keep it locked); a sign-in that
// succeeds takes them back too, since only failures count.
import { AppError } from '../errors.js'
import type { Db } from '../storage/open-database.js'
import {
  countAttemptsSince,
  deleteFailuresBefore,
  insertAttemptRows,
  releaseLoginAttempt,
  type LoginAttempt,
  type LoginSubject,
} from './login-failures.repository.js'

export const WINDOW_MINUTES = 15
export const ACCOUNT_LIMIT = 5
export const ADDRESS_LIMIT = 20

export async function claimLoginAttempt(db: Db, subject: LoginSubject, now: Date): Promise<LoginAttempt> {
  const attempt = { rowIds: await insertAttemptRows(db, subject, now) }
  const rows = await countAttemptsSince(db, subject, new Date(now.getTime() - WINDOW_MINUTES * 60_000))
  for (const row of rows) {
    const limit = row.scope === 'account' ? ACCOUNT_LIMIT : ADDRESS_LIMIT
    // This attempt's own row is among them: it may go on while it is one of the first `limit`.
    if (row.attempts <= limit) continue
    await releaseLoginAttempt(db, attempt)
    const retryAt = new Date(new Date(row.oldest).getTime() + WINDOW_MINUTES * 60_000)
    const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000))
    const what = row.scope === 'account' ? 'for this account' : 'from your network address'
    throw new AppError(
      'TOO_MANY_ATTEMPTS',
      `Too many failed sign-in attempts ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin for a password-reset link.`,
      undefined,
      { 'retry-after': String(minutes * 60) },
    )
  }
  return attempt
}

/** The password was wrong: the attempt's rows stay and count. Rows older than the window are dropped. */
export async function recordLoginFailure(db: Db, now: Date): Promise<void> {
  await deleteFailuresBefore(db, new Date(now.getTime() - WINDOW_MINUTES * 60_000))
}
