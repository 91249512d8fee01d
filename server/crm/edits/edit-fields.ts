// Which fields the portal can edit: the admin's list, narrowed to what describe says the integration user may
// update (read-only, formula and system fields, and fields hidden by field-level security are never offered).
// describe costs one API call and changes rarely, so each process keeps it for ten minutes per connection.
import type { EditableField } from '../../../contracts/api/edits.api.js'
import type { AppDeps } from '../../deps.js'
import type { CrmField, CrmSession } from '../../providers/crm-provider.js'
import type { OpportunityRow } from '../opportunities/opportunity.js'

const DESCRIBE_TTL_MS = 10 * 60_000
const described = new Map<string, { fields: CrmField[]; expiresAt: number }>()

export async function describeEditableFields(
  deps: AppDeps,
  connectionId: string,
  client: CrmSession,
): Promise<CrmField[]> {
  const now = deps.clock.now().getTime()
  const memo = described.get(connectionId)
  if (memo && memo.expiresAt > now) return memo.fields
  const fields = await client.describeOpportunityFields()
  described.set(connectionId, { fields, expiresAt: now + DESCRIBE_TTL_MS })
  return fields
}

/** Forget describe (a write named a field Salesforce no longer lets us change). */
export function forgetDescribe(connectionId: string): void {
  described.delete(connectionId)
}

export function toEditableField(field: CrmField): EditableField {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    nillable: field.nillable,
    picklistValues: field.picklistValues,
  }
}

// The cache's columns for the standard fields a portal edit can change; other fields live in extra_fields.
const COLUMN_OF: Record<string, keyof OpportunityRow> = {
  Name: 'name',
  StageName: 'stage_name',
  Amount: 'amount',
  CloseDate: 'close_date',
  Probability: 'probability',
  NextStep: 'next_step',
  Type: 'type',
  LeadSource: 'lead_source',
  Description: 'description',
  ForecastCategoryName: 'forecast_category_name',
}

/** A field's value in a cache row (null when the cache does not hold it). */
export function cachedValue(row: OpportunityRow, field: string): unknown {
  const column = COLUMN_OF[field]
  if (column) return row[column] ?? null
  return row.extra_fields[field] ?? null
}

/** Field labels from the last describe this process made (empty if none yet); never calls Salesforce. */
export function knownLabels(connectionId: string): ReadonlyMap<string, string> {
  return new Map((described.get(connectionId)?.fields ?? []).map((field) => [field.name, field.label]))
}
