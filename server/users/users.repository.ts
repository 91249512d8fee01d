import type { Insertable, Selectable, Updateable } from 'kysely'

import type { ApiUser } from '../../contracts/api/users.api.js'
import type { UserTable } from '../storage/database.js'
import type { Db } from '../storage/open-database.js'

export type UserRow = Selectable<UserTable>

export function toApiUser(row: UserRow): ApiUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
  }
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
}

export function listUsers(
  db: Db,
  options: { search?: string | undefined; includeInactive: boolean },
): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('name').orderBy('email').limit(1000)
  if (!options.includeInactive) query = query.where('is_active', '=', true)
  if (options.search) {
    const pattern = `%${escapeLike(options.search)}%`
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]))
  }
  return query.execute()
}

export function insertUser(db: Db, values: Insertable<UserTable>): Promise<UserRow> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow()
}

export function updateUserRow(
  db: Db,
  id: string,
  changes: Updateable<UserTable>,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Stamps a sign-in (leaves updated_at alone: signing in is not an edit of the account). */
export async function recordLastLogin(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute()
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow()
  return row.count
}

/** Escapes LIKE wildcards so user input is matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`)
}

/** True when a database error is the unique violation on users' email. */
export function isDuplicateEmailError(err: unknown): boolean {
  return err instanceof Error && /users_email_unique/.test(err.message)
}
