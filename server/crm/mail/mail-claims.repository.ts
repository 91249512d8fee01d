// Claims that make notification email go out at most once (issue 15 item 4). A sender takes the
// notification (or a person's day digest and its items) in one statement or transaction before it talks to
// the SMTP server; whoever finds it taken sends nothing. A claim is undone only when nothing can have been
// delivered (the server refused, or no connection was made): mail-jobs.ts decides which.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

/** True when this caller now holds the notification; false when it was emailed, skipped or claimed. */
export async function claimNotification(db: Db, id: string, at: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('crm_notifications')
    .set({ email_claimed_at: at })
    .where('id', '=', id)
    .where('emailed_at', 'is', null)
    .where('email_skipped', 'is', null)
    .where('email_claimed_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return claimed !== undefined
}

/** Hands the notifications back for a retry, counting the failed attempt and keeping its error. */
export async function releaseClaims(db: Db, ids: readonly string[], error: string, at: Date): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('crm_notifications')
    .set((eb) => ({
      email_claimed_at: null,
      email_attempts: eb('email_attempts', '+', 1),
      email_error: error.slice(0, 500),
      email_error_at: at,
    }))
    .where('id', 'in', [...ids])
    .where('emailed_at', 'is', null)
    .execute()
}

/**
 * Takes a person's digest of `day` and the items waiting for it (at most `limit`, created before `before`),
 * in one transaction: the digest row's primary key lets one run in; the items are claimed with it, so a run
 * of another day cannot send them too. Undefined when the day's digest is already taken or sent.
 */
export async function claimDigest(
  db: Db,
  claim: { userId: string; day: string; before: Date; at: Date; limit: number },
): Promise<string[] | undefined> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .insertInto('crm_mail_digests')
      .values({ user_id: claim.userId, day: claim.day, sent_at: null })
      .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (!taken) return undefined
    const { rows } = await sql<{ id: string }>`
      update crm_notifications set email_claimed_at = ${claim.at}
      where id in (
        select id from crm_notifications
        where user_id = ${claim.userId}::uuid and email_timing = 'digest' and emailed_at is null
          and email_skipped is null and email_claimed_at is null and created_at < ${claim.before}
        order by created_at, id
        limit ${claim.limit})
      returning id`.execute(trx)
    return rows.map((row) => row.id)
  })
}

/** Gives a day's digest back (nothing was delivered), so a later run of the same day may send it. */
export async function releaseDigest(db: Db, userId: string, day: string): Promise<void> {
  await db
    .deleteFrom('crm_mail_digests')
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .where('sent_at', 'is', null)
    .execute()
}
