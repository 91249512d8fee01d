import type { Insertable, Selectable, Updateable } from 'kysely'

import type { ApiConnection } from '../../../contracts/api/crm-connection.api.js'
import type { CrmConnectionTable } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'
import type { StoredSecrets } from './resolved-settings.js'

export type ConnectionRow = Selectable<CrmConnectionTable>

/** The module links one org; the first connection row is it. */
export function findConnection(db: Db): Promise<ConnectionRow | undefined> {
  return db.selectFrom('crm_connections').selectAll().orderBy('created_at').limit(1).executeTakeFirst()
}

export async function listConnectionIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('crm_connections').select('id').execute()
  return rows.map((row) => row.id)
}

export function findConnectionById(db: Db, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('crm_connections').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function updateConnectionRow(
  db: Db,
  id: string,
  changes: Updateable<CrmConnectionTable>,
): Promise<ConnectionRow> {
  return db
    .updateTable('crm_connections')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function insertConnectionRow(db: Db, values: Insertable<CrmConnectionTable>): Promise<ConnectionRow> {
  return db.insertInto('crm_connections').values(values).returningAll().executeTakeFirstOrThrow()
}

/**
 * Re-seals every connection's secrets (key rotation, binding them to their place; call inside a transaction).
 * `reseal` gets each row and answers the new sealed value, or undefined to leave the row as it is.
 */
export async function resealConnectionSecrets(
  db: Db,
  reseal: (
    row: Pick<ConnectionRow, 'login_url' | 'consumer_key' | 'encrypted_secrets'>,
  ) => string | undefined,
): Promise<number> {
  const rows = await db
    .selectFrom('crm_connections')
    .select(['id', 'login_url', 'consumer_key', 'encrypted_secrets'])
    .forUpdate()
    .execute()
  let count = 0
  for (const row of rows) {
    const sealed = reseal(row)
    if (sealed === undefined) continue
    await db
      .updateTable('crm_connections')
      .set({ encrypted_secrets: sealed })
      .where('id', '=', row.id)
      .execute()
    count += 1
  }
  return count
}

export function toApiConnection(row: ConnectionRow, secrets: StoredSecrets): ApiConnection {
  return {
    id: row.id,
    provider: row.provider,
    authMethod: row.auth_method,
    webServicesUrl: row.login_url,
    instanceUrl: row.instance_url,
    username: row.username,
    consumerKey: row.consumer_key,
    cacheLocally: row.cache_locally,
    syncIntervalMinutes: row.sync_interval_minutes,
    status: row.status,
    statusReason: row.status_reason,
    statusHint: row.status_hint,
    statusChangedAt: row.status_changed_at.toISOString(),
    orgId: row.org_id,
    storedSecrets: {
      password: Boolean(secrets.password),
      securityToken: Boolean(secrets.securityToken),
      consumerSecret: Boolean(secrets.consumerSecret),
      refreshToken: Boolean(secrets.refreshToken),
    },
    updatedAt: row.updated_at.toISOString(),
  }
}
