// Seeds the CRM cache directly, as the sync would fill it, for tests of what reads it.
import type { Insertable, Selectable } from 'kysely'

import type {
  CrmConnectionTable,
  CrmOpportunityTable,
  CrmOpportunityTeamMemberTable,
  CrmSalesforceUserTable,
} from '../storage/database.js'
import type { Db } from '../storage/open-database.js'

let sequence = 0

/** An 18-character id with the object's key prefix, unique within the test run. */
export function makeSalesforceId(prefix: '006' | '005' | '00q' | '00D'): string {
  sequence += 1
  return `${prefix}TEST${String(sequence).padStart(11, '0')}`
}

export async function makeConnection(
  db: Db,
  overrides: Partial<Insertable<CrmConnectionTable>> = {},
): Promise<Selectable<CrmConnectionTable>> {
  return db
    .insertInto('crm_connections')
    .values({
      provider: 'salesforce',
      auth_method: 'client_credentials',
      login_url: 'https://acme.my.salesforce.com',
      instance_url: 'https://acme.my.salesforce.com',
      consumer_key: 'test-consumer-key',
      encrypted_secrets: 'not-a-real-ciphertext',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export type OpportunityOverrides = Partial<Omit<Insertable<CrmOpportunityTable>, 'connection_id'>>

export async function makeOpportunity(
  db: Db,
  connectionId: string,
  overrides: OpportunityOverrides = {},
): Promise<Selectable<CrmOpportunityTable>> {
  const id = overrides.id ?? makeSalesforceId('006')
  return db
    .insertInto('crm_opportunities')
    .values({
      id,
      connection_id: connectionId,
      name: `Deal ${id.slice(-4)}`,
      account_id: '001TEST00000000001',
      account_name: 'Acme Corporation',
      amount: 10_000,
      currency_iso_code: 'USD',
      close_date: '2026-12-15',
      stage_name: 'Prospecting',
      probability: 10,
      forecast_category_name: 'Pipeline',
      type: 'New Business',
      owner_id: '005TEST00000000001',
      owner_name: 'Sam Seller',
      owner_email: 'sam.seller@example.com',
      created_date: '2026-10-01T09:00:00Z',
      last_modified_date: '2026-11-01T09:00:00Z',
      system_modstamp: '2026-11-01T09:00:00Z',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function makeSalesforceUser(
  db: Db,
  connectionId: string,
  overrides: Partial<Omit<Insertable<CrmSalesforceUserTable>, 'connection_id'>> = {},
): Promise<Selectable<CrmSalesforceUserTable>> {
  return db
    .insertInto('crm_salesforce_users')
    .values({ id: makeSalesforceId('005'), connection_id: connectionId, name: 'Team Mate', ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function makeTeamMember(
  db: Db,
  connectionId: string,
  values: Pick<Insertable<CrmOpportunityTeamMemberTable>, 'opportunity_id' | 'user_id'> &
    Partial<Insertable<CrmOpportunityTeamMemberTable>>,
): Promise<void> {
  await db
    .insertInto('crm_opportunity_team_members')
    .values({
      id: makeSalesforceId('00q'),
      connection_id: connectionId,
      team_member_role: 'Sales Rep',
      ...values,
    })
    .execute()
}

/** The org's stages as a sync stores them, in the order given (SortOrder 1, 2, ...); "Closed ..." ones closed. */
export async function setStageOrder(db: Db, connectionId: string, names: readonly string[]): Promise<void> {
  await db.deleteFrom('crm_opportunity_stages').where('connection_id', '=', connectionId).execute()
  await db
    .insertInto('crm_opportunity_stages')
    .values(
      names.map((name, index) => ({
        connection_id: connectionId,
        api_name: name,
        label: name,
        sort_order: index + 1,
        is_active: true,
        is_closed: name.startsWith('Closed'),
        is_won: name === 'Closed Won',
        forecast_category_name: null,
      })),
    )
    .execute()
}

/** A manual membership written straight to the table (tests of the readers, not of the admin routes). */
export async function assignManually(db: Db, userId: string, opportunityIds: string[]): Promise<void> {
  if (opportunityIds.length === 0) return
  await db
    .insertInto('crm_opportunity_members')
    .values(
      opportunityIds.map((opportunityId) => ({
        user_id: userId,
        opportunity_id: opportunityId,
        is_manual: true,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'opportunity_id']).doUpdateSet({ is_manual: true }))
    .execute()
}

export async function setCrmModuleEnabled(db: Db, enabled: boolean): Promise<void> {
  await db.updateTable('module_settings').set({ enabled }).where('id', '=', 'crm').execute()
}
