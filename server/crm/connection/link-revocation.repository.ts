// Users' Salesforce links on their way to revocation (crm_link_revocations, migration 2026_12_05_h1601): moved
// out of crm_user_connections inside the caller's transaction by crm_forget_user_links (the same function the
// deactivation trigger calls), then read by the revocation job one at a time, by id.
import { sql, type Selectable } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { CrmLinkRevocationTable } from '../../storage/tables/link-revocations.table.js'

export type LinkRevocationRow = Selectable<CrmLinkRevocationTable>

/** Moves every user's link of the connection to revocation (an admin's Disconnect); returns how many. */
export async function forgetConnectionLinks(db: Db, connectionId: string): Promise<number> {
  const { rows } = await sql<{ moved: number }>`
    select crm_forget_user_links(null, ${connectionId}::uuid, 'connection_disconnected') as moved`.execute(db)
  return rows[0]?.moved ?? 0
}

/** Marks the revocations no job exists for yet as queued and returns their ids (locked until commit). */
export async function takeUnqueuedRevocations(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('crm_link_revocations')
    .set({ queued_at: now })
    .where(
      'id',
      'in',
      db
        .selectFrom('crm_link_revocations')
        .select('id')
        .where('queued_at', 'is', null)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute()
  return rows.map((row) => row.id)
}

export function findRevocation(db: Db, id: string): Promise<LinkRevocationRow | undefined> {
  return db.selectFrom('crm_link_revocations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function deleteRevocation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('crm_link_revocations').where('id', '=', id).execute()
}

/** Re-seals the waiting revocations' tokens (key rotation; call inside the rotation's transaction). */
export async function resealRevocations(
  db: Db,
  reseal: (row: Pick<LinkRevocationRow, 'user_id' | 'connection_id' | 'encrypted_tokens'>) => string,
): Promise<number> {
  const rows = await db
    .selectFrom('crm_link_revocations')
    .select(['id', 'user_id', 'connection_id', 'encrypted_tokens'])
    .forUpdate()
    .execute()
  for (const row of rows) {
    await db
      .updateTable('crm_link_revocations')
      .set({ encrypted_tokens: reseal(row) })
      .where('id', '=', row.id)
      .execute()
  }
  return rows.length
}
