// What the member portal needs to know before it lists anything: is the module on, is Salesforce connected,
// has anything been synced, and how many live opportunities the user has. One round trip.
import { sql } from 'kysely'

import type { CrmPortalStatus } from '../../../contracts/api/opportunities.api.js'
import { AppError } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'

export interface PortalContext {
  moduleEnabled: boolean
  isConfigured: boolean
  isSynced: boolean
  assignedCount: number
}

export async function readPortalContext(db: Db, userId: string): Promise<PortalContext> {
  const { rows } = await sql<{
    module_enabled: boolean | null
    is_configured: boolean
    is_synced: boolean
    assigned_count: number
  }>`
    select
      (select enabled from module_settings where id = 'crm') as module_enabled,
      exists (select 1 from crm_connections) as is_configured,
      exists (select 1 from crm_opportunities) as is_synced,
      (select count(*) from crm_opportunity_members m
         join crm_opportunities o on o.id = m.opportunity_id
        where m.user_id = ${userId} and not o.is_deleted) as assigned_count`.execute(db)
  const row = rows[0]
  return {
    moduleEnabled: row?.module_enabled ?? false,
    isConfigured: row?.is_configured ?? false,
    isSynced: row?.is_synced ?? false,
    assignedCount: row?.assigned_count ?? 0,
  }
}

/** Members reach CRM pages only while the module is on; admins keep the admin pages to set it up. */
export function assertModuleEnabled(context: Pick<PortalContext, 'moduleEnabled'>): void {
  if (!context.moduleEnabled) {
    throw new AppError(
      'MODULE_DISABLED',
      'The CRM module is turned off. Ask your network admin to turn it on.',
    )
  }
}

export async function assertCrmModuleEnabled(db: Db): Promise<void> {
  const row = await db
    .selectFrom('module_settings')
    .select('enabled')
    .where('id', '=', 'crm')
    .executeTakeFirst()
  assertModuleEnabled({ moduleEnabled: row?.enabled ?? false })
}

export function portalStatus(context: PortalContext): CrmPortalStatus {
  if (!context.isConfigured) return 'not_configured'
  if (!context.isSynced) return 'not_synced'
  if (context.assignedCount === 0) return 'no_assignments'
  return 'ready'
}
