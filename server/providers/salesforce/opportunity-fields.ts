// Which Opportunity fields a read asks for, and how a Salesforce record becomes an OpportunityRecord. The
// list is built from describe on every run: a field the integration user cannot see is left out and reported
// (not silently empty), and an extra field that was deleted in Salesforce does not break the query.
import type { CrmOpportunityTable } from '../../storage/database.js'
import { MalformedRecordError, type FieldPlan, type OpportunityRecord } from '../crm-provider.js'

/**
 * Standard fields and the cache column each fills. Parent paths come through lookups (REST API "Relationship
 * Queries", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships.htm).
 */
export const STANDARD_FIELDS = [
  { field: 'Name', column: 'name' },
  { field: 'AccountId', column: 'account_id' },
  { field: 'Account.Name', column: 'account_name', lookup: 'AccountId' },
  { field: 'Amount', column: 'amount' },
  { field: 'CurrencyIsoCode', column: 'currency_iso_code' },
  { field: 'CloseDate', column: 'close_date' },
  { field: 'StageName', column: 'stage_name' },
  { field: 'Probability', column: 'probability' },
  { field: 'ForecastCategoryName', column: 'forecast_category_name' },
  { field: 'Type', column: 'type' },
  { field: 'LeadSource', column: 'lead_source' },
  { field: 'NextStep', column: 'next_step' },
  { field: 'Description', column: 'description' },
  { field: 'IsClosed', column: 'is_closed' },
  { field: 'IsWon', column: 'is_won' },
  { field: 'OwnerId', column: 'owner_id' },
  { field: 'Owner.Name', column: 'owner_name', lookup: 'OwnerId' },
  { field: 'Owner.Email', column: 'owner_email', lookup: 'OwnerId' },
  { field: 'CreatedDate', column: 'created_date' },
  { field: 'LastModifiedDate', column: 'last_modified_date' },
  // Who made the last change (the change timeline names them); a User lookup like Owner.
  { field: 'LastModifiedById', column: 'last_modified_by_id' },
  { field: 'LastModifiedBy.Name', column: 'last_modified_by_name', lookup: 'LastModifiedById' },
] as const satisfies ReadonlyArray<{ field: string; column: keyof CrmOpportunityTable; lookup?: string }>

/** Without these a record cannot be stored or ordered; the run fails if they are hidden. */
export const KEY_FIELDS = ['Id', 'SystemModstamp', 'IsDeleted', 'Name'] as const

/**
 * The fields Test Connection expects to see besides KEY_FIELDS: every standard field's own field (a lookup
 * path such as Account.Name needs AccountId). CurrencyIsoCode exists only in multi-currency orgs, so its
 * absence is normal and not reported.
 */
export const STANDARD_OPPORTUNITY_FIELDS: readonly string[] = [
  ...new Set(STANDARD_FIELDS.map((spec) => ('lookup' in spec ? spec.lookup : spec.field))),
].filter((field) => field !== 'CurrencyIsoCode' && !(KEY_FIELDS as readonly string[]).includes(field))

/**
 * What the key index keeps when "Cache data locally" is off (see opportunities/key-index.repository.ts): deletes and
 * reconciliation need the stamps, automatic assignment and the owner filter need the owner.
 */
export const KEY_INDEX_FIELDS = ['Id', 'SystemModstamp', 'IsDeleted', 'OwnerId', 'Owner.Name', 'Owner.Email']

/**
 * Builds the SELECT list from the fields describe shows the integration user. With `keyOnly` (cache off) the
 * list shrinks to KEY_INDEX_FIELDS; `hidden` is still reported for every field, as live reads need to know.
 */
export function planFields(
  visibleFields: ReadonlySet<string>,
  extraFields: readonly string[],
  options: { keyOnly?: boolean; defaultCurrency?: string | null } = {},
): FieldPlan {
  const defaultCurrency = options.defaultCurrency ?? null
  const missingKeys = KEY_FIELDS.filter((field) => !visibleFields.has(field))
  if (missingKeys.length > 0) {
    throw new Error(
      `Field-level security hides fields the sync cannot work without: ${missingKeys.join(', ')}.`,
    )
  }
  const hidden: string[] = []
  const select: string[] = ['Id', 'SystemModstamp', 'IsDeleted']
  for (const spec of STANDARD_FIELDS) {
    const base = 'lookup' in spec ? spec.lookup : spec.field
    // CurrencyIsoCode exists only in multi-currency orgs; its absence is normal, not a hidden field.
    if (visibleFields.has(base)) select.push(spec.field)
    else if (spec.field !== 'CurrencyIsoCode') hidden.push(spec.field)
  }
  const extra: string[] = []
  for (const field of extraFields) {
    if (select.includes(field)) continue
    if (visibleFields.has(field)) extra.push(field)
    else hidden.push(field)
  }
  if (options.keyOnly) {
    return {
      select: select.filter((field) => KEY_INDEX_FIELDS.includes(field)),
      hidden: [...new Set(hidden)],
      extra: [],
      defaultCurrency,
    }
  }
  return { select: [...select, ...extra], hidden: [...new Set(hidden)], extra, defaultCurrency }
}

export type SalesforceRecord = Record<string, unknown>

/** Reads a dotted path (Account.Name) from a REST record or a flat Bulk CSV row. */
export function readPath(record: SalesforceRecord, path: string): unknown {
  if (path in record) return record[path]
  let value: unknown = record
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null
    value = (value as Record<string, unknown>)[part]
  }
  return value ?? null
}

/** A scalar field value as text; null for empty values and for anything that is not a scalar. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return null
}
const text = textOf
const number = (value: unknown): number | null => {
  if (value === null || value === undefined || value === '') return null
  const parsed = typeof value === 'number' ? value : Number(textOf(value))
  if (!Number.isFinite(parsed))
    throw new MalformedRecordError(`"${textOf(value) ?? 'a non-scalar value'}" is not a number`)
  return parsed
}
const bool = (value: unknown): boolean => value === true || value === 'true'
const dateTime = (value: unknown): Date | null => {
  const raw = text(value)
  if (raw === null) return null
  const parsed = new Date(raw)
  if (Number.isNaN(parsed.getTime())) throw new MalformedRecordError(`"${raw}" is not a datetime`)
  return parsed
}

/** One Salesforce record → one OpportunityRecord. Throws MalformedRecordError on a record that cannot be trusted. */
export function toOpportunityRecord(record: SalesforceRecord, plan: FieldPlan): OpportunityRecord {
  const id = text(record['Id'])
  const modstamp = dateTime(record['SystemModstamp'])
  if (!id || !/^[a-zA-Z0-9]{18}$/.test(id) || !modstamp)
    throw new MalformedRecordError('a record without a valid Id or SystemModstamp')
  const has = (field: string) => plan.select.includes(field)
  const get = (field: string) => (has(field) ? readPath(record, field) : null)
  const extraFields: Record<string, unknown> = {}
  for (const field of plan.extra) extraFields[field] = readPath(record, field)
  return {
    id,
    systemModstamp: modstamp,
    isDeleted: bool(record['IsDeleted']),
    // A key index read (Name not asked for) gives null, never a made-up empty name.
    name: has('Name') ? (text(get('Name')) ?? '') : null,
    accountId: text(get('AccountId')),
    accountName: text(get('Account.Name')),
    amount: number(get('Amount')),
    currencyIsoCode: text(get('CurrencyIsoCode')) ?? plan.defaultCurrency ?? null,
    closeDate: text(get('CloseDate')),
    stageName: text(get('StageName')),
    probability: number(get('Probability')),
    forecastCategoryName: text(get('ForecastCategoryName')),
    type: text(get('Type')),
    leadSource: text(get('LeadSource')),
    nextStep: text(get('NextStep')),
    description: text(get('Description')),
    isClosed: bool(get('IsClosed')),
    isWon: bool(get('IsWon')),
    ownerId: text(get('OwnerId')),
    ownerName: text(get('Owner.Name')),
    ownerEmail: text(get('Owner.Email')),
    createdDate: dateTime(get('CreatedDate')),
    lastModifiedDate: dateTime(get('LastModifiedDate')),
    lastModifiedById: text(get('LastModifiedById')),
    lastModifiedByName: text(get('LastModifiedBy.Name')),
    extraFields,
  }
}
