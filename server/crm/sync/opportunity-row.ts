// An OpportunityRecord from the CRM becomes a row of the cache (crm_opportunities).
import type { Insertable } from 'kysely'

import type { OpportunityRecord } from '../../providers/crm-provider.js'
import type { CrmOpportunityTable } from '../../storage/database.js'

export function toOpportunityRow(
  record: OpportunityRecord,
  connectionId: string,
  syncedAt: Date,
): Insertable<CrmOpportunityTable> {
  return {
    id: record.id,
    connection_id: connectionId,
    name: record.name,
    account_id: record.accountId,
    account_name: record.accountName,
    amount: record.amount,
    currency_iso_code: record.currencyIsoCode,
    close_date: record.closeDate,
    stage_name: record.stageName,
    probability: record.probability,
    forecast_category_name: record.forecastCategoryName,
    type: record.type,
    lead_source: record.leadSource,
    next_step: record.nextStep,
    description: record.description,
    is_closed: record.isClosed,
    is_won: record.isWon,
    owner_id: record.ownerId,
    owner_name: record.ownerName,
    owner_email: record.ownerEmail,
    created_date: record.createdDate,
    last_modified_date: record.lastModifiedDate,
    system_modstamp: record.systemModstamp,
    extra_fields: JSON.stringify(record.extraFields),
    is_deleted: record.isDeleted,
    deleted_at: record.isDeleted ? record.systemModstamp : null,
    synced_at: syncedAt,
    last_modified_by_id: record.lastModifiedById,
    last_modified_by_name: record.lastModifiedByName,
  }
}
