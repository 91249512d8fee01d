import type { Selectable, Updateable } from 'kysely'

import type { ApiConnection } from '../../../contracts/api/crm-connection.api.js'
import type { CrmConnectionTable } from '../../storage/database.js'
import type { Db } from '../../storage/open-database.js'
import type { StoredSecrets } from './resolved-settings.js'

export type ConnectionRow = Selectable<CrmConnectionTable>

/** The module links one org; the first connection row is it. */
export function findConnection(db: Db): Promise<ConnectionRow | undefined> {
  return db.selectFrom('crm_connections').selectAll().orderBy('created_at').limit(1).executeTakeFirst()
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
