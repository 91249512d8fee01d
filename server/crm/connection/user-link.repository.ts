// Workspace users' own Salesforce links ("Connect my Salesforce account"): one row per user and connection,
// the tokens sealed (secret-binding.ts userLinkContext). Rows are read by user id only: no query here takes
// another user's link, so a member reaches their own and nobody else's.
import type { Insertable, Selectable } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { CrmUserConnectionTable } from '../../storage/tables/user-links.table.js'

export type UserLinkRow = Selectable<CrmUserConnectionTable>

export function findUserLink(db: Db, userId: string, connectionId: string): Promise<UserLinkRow | undefined> {
  return db
    .selectFrom('crm_user_connections')
    .selectAll()
    .where('user_id', '=', userId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst()
}

/** Connecting again replaces the user's link (new tokens, connected again). */
export async function saveUserLink(db: Db, row: Insertable<CrmUserConnectionTable>): Promise<void> {
  await db
    .insertInto('crm_user_connections')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'connection_id']).doUpdateSet({
        salesforce_user_id: row.salesforce_user_id,
        username: row.username ?? null,
        display_name: row.display_name ?? null,
        encrypted_tokens: row.encrypted_tokens,
        instance_url: row.instance_url,
        status: 'connected',
        status_reason: null,
        connected_at: row.connected_at,
        updated_at: row.updated_at,
      }),
    )
    .execute()
}

/** New sealed tokens after a refresh; only while the link is still the one that was refreshed. */
export async function updateUserLinkTokens(
  db: Db,
  link: Pick<UserLinkRow, 'user_id' | 'connection_id' | 'connected_at'>,
  values: { encrypted_tokens: string; instance_url: string; updated_at: Date },
): Promise<void> {
  await db
    .updateTable('crm_user_connections')
    .set(values)
    .where('user_id', '=', link.user_id)
    .where('connection_id', '=', link.connection_id)
    .where('connected_at', '=', link.connected_at)
    .execute()
}

export async function markUserLinkNeedsReconnect(
  db: Db,
  link: Pick<UserLinkRow, 'user_id' | 'connection_id' | 'connected_at'>,
  reason: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('crm_user_connections')
    .set({ status: 'needs_reconnect', status_reason: reason, updated_at: now })
    .where('user_id', '=', link.user_id)
    .where('connection_id', '=', link.connection_id)
    .where('connected_at', '=', link.connected_at)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Deletes the user's link and returns what it held (Disconnect revokes with it). */
export function deleteUserLink(db: Db, userId: string, connectionId: string) {
  return db
    .deleteFrom('crm_user_connections')
    .where('user_id', '=', userId)
    .where('connection_id', '=', connectionId)
    .returning(['encrypted_tokens', 'instance_url', 'user_id', 'connection_id'])
    .executeTakeFirst()
}

/** Re-seals every link's tokens (key rotation; call inside the rotation's transaction). */
export async function resealUserLinks(
  db: Db,
  reseal: (row: Pick<UserLinkRow, 'user_id' | 'connection_id' | 'encrypted_tokens'>) => string,
): Promise<number> {
  const rows = await db
    .selectFrom('crm_user_connections')
    .select(['user_id', 'connection_id', 'encrypted_tokens'])
    .forUpdate()
    .execute()
  for (const row of rows) {
    await db
      .updateTable('crm_user_connections')
      .set({ encrypted_tokens: reseal(row) })
      .where('user_id', '=', row.user_id)
      .where('connection_id', '=', row.connection_id)
      .execute()
  }
  return rows.length
}
