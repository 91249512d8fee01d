// Slows password guessing down: at most ACCOUNT_LIMIT failed sign-ins per account and ADDRESS_LIMIT per
// client address within WINDOW_MINUTES (OWASP Authentication Cheat Sheet, "account lockout" with a time-based
// unlock, so an attacker cannot lock a user out for good). Failures are kept in the database, so the limit
// holds across restarts and across several server processes.
import { AppError } from '../errors.js'
import type { Db } from '../storage/open-database.js'

export const WINDOW_MINUTES = 15
export const ACCOUNT_LIMIT = 5
export const ADDRESS_LIMIT = 20

export interface LoginSubject {
  email: string
  address: string
}

export async function assertLoginAllowed(db: Db, subject: LoginSubject, now: Date): Promise<void> {
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000)
  const rows = await db
    .selectFrom('login_failures')
    .select([
      'scope',
      (eb) => eb.fn.countAll<number>().as('failures'),
      (eb) => eb.fn.min('failed_at').as('oldest'),
    ])
    .where('failed_at', '>', since)
    .where((eb) =>
      eb.or([
        eb.and([eb('scope', '=', 'account'), eb('key', '=', subject.email)]),
        eb.and([eb('scope', '=', 'address'), eb('key', '=', subject.address)]),
      ]),
    )
    .groupBy('scope')
    .execute()
  for (const row of rows) {
    const limit = row.scope === 'account' ? ACCOUNT_LIMIT : ADDRESS_LIMIT
    if (row.failures < limit) continue
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
}

export async function recordLoginFailure(db: Db, subject: LoginSubject, now: Date): Promise<void> {
  await db
    .insertInto('login_failures')
    .values([
      { scope: 'account', key: subject.email, failed_at: now },
      { scope: 'address', key: subject.address, failed_at: now },
    ])
    .execute()
  // Keep the table small: anything older than the window no longer counts.
  await db
    .deleteFrom('login_failures')
    .where('failed_at', '<', new Date(now.getTime() - WINDOW_MINUTES * 60_000))
    .execute()
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', 'account').where('key', '=', email).execute()
}
