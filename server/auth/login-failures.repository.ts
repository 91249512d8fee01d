// The rows login-throttle.ts counts: one per attempt per scope (account, client address).
import type { Db } from '../storage/open-database.js'

export interface LoginSubject {
  email: string
  address: string
}

/** The rows one attempt holds in login_failures until it is known whether it failed. */
export interface LoginAttempt {
  rowIds: number[]
}

/** Inserts (and, outside a transaction, commits) the attempt's account and address rows. */
export async function insertAttemptRows(db: Db, subject: LoginSubject, now: Date): Promise<number[]> {
  const inserted = await db
    .insertInto('login_failures')
    .values([
      { scope: 'account', key: subject.email, failed_at: now },
      { scope: 'address', key: subject.address, failed_at: now },
    ])
    .returning('id')
    .execute()
  return inserted.map((row) => Number(row.id))
}

/** Attempts per scope for this account and address since `since`, with the oldest one's time. */
export function countAttemptsSince(db: Db, subject: LoginSubject, since: Date) {
  return db
    .selectFrom('login_failures')
    .select([
      'scope',
      (eb) => eb.fn.countAll<number>().as('attempts'),
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
}

export async function deleteFailuresBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('login_failures').where('failed_at', '<', before).execute()
}

/** The attempt does not count as a failure (refused by the limit, or the password was right). */
export async function releaseLoginAttempt(db: Db, attempt: LoginAttempt): Promise<void> {
  if (attempt.rowIds.length === 0) return
  await db.deleteFrom('login_failures').where('id', 'in', attempt.rowIds).execute()
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', 'account').where('key', '=', email).execute()
}
