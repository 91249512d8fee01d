// SCIM bearer tokens: only the SHA-256 of a token is stored; the token itself is shown once.
import type { Selectable } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { ScimTokenTable } from '../../storage/tables/identity.table.js'

export type ScimTokenRow = Selectable<ScimTokenTable> & { created_by_name: string | null }

function selectTokens(db: Db) {
  return db
    .selectFrom('scim_tokens as t')
    .leftJoin('users as u', 'u.id', 't.created_by')
    .selectAll('t')
    .select('u.name as created_by_name')
}

export function listScimTokenRows(db: Db): Promise<ScimTokenRow[]> {
  return selectTokens(db).orderBy('t.created_at', 'desc').orderBy('t.id').execute()
}

export function findScimTokenRow(db: Db, id: string): Promise<ScimTokenRow | undefined> {
  return selectTokens(db).where('t.id', '=', id).executeTakeFirst()
}

export async function insertScimToken(
  db: Db,
  values: { name: string; tokenHash: string; createdBy: string; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('scim_tokens')
    .values({
      name: values.name,
      token_hash: values.tokenHash,
      created_by: values.createdBy,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function revokeScimTokenRow(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('scim_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The live token with this hash; its last use is moved forward at most once a minute. */
export async function useScimToken(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ id: string } | undefined> {
  const row = await db
    .selectFrom('scim_tokens')
    .select(['id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= 60_000) {
    await db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute()
  }
  return { id: row.id }
}
