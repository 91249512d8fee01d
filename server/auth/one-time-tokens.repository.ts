// Stored one-time links: only the token's hash, its purpose, its user and when it expires.
import type { Db } from '../storage/open-database.js'

export type Purpose = 'first_run_setup' | 'password_reset'

/** A new link replaces earlier ones for the same purpose and user. */
export async function replaceOneTimeToken(
  db: Db,
  link: { tokenHash: string; purpose: Purpose; userId: string | null; expiresAt: Date },
): Promise<void> {
  let stale = db.deleteFrom('one_time_tokens').where('purpose', '=', link.purpose)
  stale = link.userId === null ? stale.where('user_id', 'is', null) : stale.where('user_id', '=', link.userId)
  await stale.execute()
  await db
    .insertInto('one_time_tokens')
    .values({
      token_hash: link.tokenHash,
      purpose: link.purpose,
      user_id: link.userId,
      expires_at: link.expiresAt,
    })
    .execute()
}

/** Deletes the token and returns what it held, expired or not (the caller checks). */
export function takeOneTimeToken(db: Db, purpose: Purpose, tokenHash: string) {
  return db
    .deleteFrom('one_time_tokens')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .returning(['user_id', 'expires_at'])
    .executeTakeFirst()
}
