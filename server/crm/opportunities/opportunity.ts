// Opportunity rows of the cache → the API shapes of contracts/api/opportunities.api.ts.
import type { Selectable } from 'kysely'

import type {
  AdminOpportunityListItem,
  OpportunityDetail,
  OpportunityListItem,
} from '../../../contracts/api/opportunities.api.js'
import type { CrmOpportunityTable } from '../../storage/database.js'
import { salesforceRecordUrl } from '../../providers/salesforce/record-url.js'
import type { ActivityColumns } from './list-activity.repository.js'

export type OpportunityRow = Selectable<CrmOpportunityTable>

/** The columns a list row needs; `listColumns` selects exactly these. */
export type OpportunityListRow = Pick<
  OpportunityRow,
  | 'id'
  | 'name'
  | 'account_name'
  | 'amount'
  | 'currency_iso_code'
  | 'close_date'
  | 'stage_name'
  | 'probability'
  | 'forecast_category_name'
  | 'owner_name'
  | 'is_closed'
  | 'is_won'
  | 'last_modified_date'
>

export const listColumns = [
  'o.id',
  'o.name',
  'o.account_name',
  'o.amount',
  'o.currency_iso_code',
  'o.close_date',
  'o.stage_name',
  'o.probability',
  'o.forecast_category_name',
  'o.owner_name',
  'o.is_closed',
  'o.is_won',
  'o.last_modified_date',
] as const

/** A list row with what the lists add (list-activity.repository.ts). */
export type OpportunityListItemRow = OpportunityListRow & ActivityColumns

export function toOpportunityListItem(row: OpportunityListItemRow): OpportunityListItem {
  // JSON-carried rows hold the time as text; both become ISO text in UTC.
  const lastActivity = row.last_activity_at === null ? null : new Date(row.last_activity_at)
  return {
    ...toOpportunityFields(row),
    lastActivityAt: lastActivity?.toISOString() ?? null,
    unread: row.unread,
  }
}

function toOpportunityFields(
  row: OpportunityListRow,
): Omit<OpportunityListItem, 'lastActivityAt' | 'unread'> {
  return {
    id: row.id,
    // Null only in key index rows, which are never listed from the cache (key-index.repository.ts).
    name: row.name ?? '',
    accountName: row.account_name,
    amount: row.amount,
    currencyIsoCode: row.currency_iso_code,
    closeDate: row.close_date,
    stageName: row.stage_name,
    probability: row.probability,
    forecastCategoryName: row.forecast_category_name,
    ownerName: row.owner_name,
    isClosed: row.is_closed,
    isWon: row.is_won,
    lastModifiedDate: row.last_modified_date?.toISOString() ?? null,
  }
}

export function toAdminListItem(
  row: OpportunityListItemRow & Pick<OpportunityRow, 'owner_id' | 'owner_email'> & { member_count: number },
): AdminOpportunityListItem {
  return {
    ...toOpportunityListItem(row),
    ownerId: row.owner_id,
    ownerEmail: row.owner_email,
    memberCount: row.member_count,
  }
}

/** `synced_at` null means the row was just read live from Salesforce. */
export function toOpportunityDetail(
  row: Omit<OpportunityRow, 'synced_at'> & { synced_at: Date | null },
  instanceUrl: string | null,
): OpportunityDetail {
  return {
    ...toOpportunityFields(row),
    accountId: row.account_id,
    type: row.type,
    leadSource: row.lead_source,
    nextStep: row.next_step,
    description: row.description,
    ownerId: row.owner_id,
    ownerEmail: row.owner_email,
    createdDate: row.created_date?.toISOString() ?? null,
    lastSyncedAt: row.synced_at?.toISOString() ?? null,
    source: row.synced_at ? 'cache' : 'live',
    salesforceUrl: salesforceRecordUrl(instanceUrl, row.id),
    extraFields: row.extra_fields,
  }
}
