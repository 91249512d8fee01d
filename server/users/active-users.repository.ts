// "Is this user active?": the one check every feature that reaches people (notifications, pickers, digests)
// uses. A deactivated user (by an admin, or by the identity provider over SCIM) keeps their account and
// assignments, but nothing may be sent to them or offered with their name until they are reactivated.
import { sql, type RawBuilder, type SqlBool } from 'kysely'

import type { Db } from '../storage/open-database.js'

export async function isUserActive(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('is_active').where('id', '=', userId).executeTakeFirst()
  return row?.is_active === true
}

/** The ids among `userIds` that belong to active users (unknown ids are dropped). */
export async function activeUserIds(db: Db, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return []
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...userIds])
    .where('is_active', '=', true)
    .execute()
  return rows.map((row) => row.id)
}

/** For a query that already has the user's id at hand: `where ${isActiveUser(sql.ref('n.user_id'))}`. */
export function isActiveUser(userId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from users au where au.id = ${userId} and au.is_active)`
}
