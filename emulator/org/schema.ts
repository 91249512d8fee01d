// Describe metadata of the emulated objects. Field names, types, lengths and relationship names follow the
// Salesforce Object Reference and Field Reference for Opportunity, Account, User, OpportunityTeamMember,
// OpportunityStage and Organization (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm
// and the pages beside it for each object).
import type { FieldDef, FieldType, ObjectDef, PicklistValue } from './model.js'

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const isSystem = [
    'Id',
    'IsDeleted',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
  ].includes(name)
  return {
    name,
    label: name
      .replace(/__c$/, '')
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    nillable: !isSystem && type !== 'boolean',
    createable: !isSystem,
    updateable: !isSystem,
    calculated: false,
    filterable: type !== 'textarea',
    sortable: type !== 'textarea',
    custom: name.endsWith('__c'),
    length:
      type === 'id' || type === 'reference'
        ? 18
        : type === 'textarea'
          ? 32000
          : ['string', 'picklist', 'email', 'phone', 'url'].includes(type)
            ? 255
            : 0,
    precision: type === 'currency' ? 18 : type === 'percent' ? 3 : type === 'double' ? 18 : 0,
    scale: type === 'currency' ? 2 : 0,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    ...options,
  }
}

const readOnly: FieldOptions = { createable: false, updateable: false }
const ref = (name: string, to: string, relationshipName: string, options: FieldOptions = {}) =>
  field(name, 'reference', { referenceTo: [to], relationshipName, ...options })
const picklist = (name: string, values: string[], options: FieldOptions = {}) =>
  field(name, 'picklist', { picklistValues: values.map(toPicklistValue), ...options })

function toPicklistValue(value: string, index: number): PicklistValue {
  return { value, label: value, active: true, defaultValue: index === 0 && false }
}

/**
 * Default stages (Metadata API OpportunityStage example values,
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_picklist.htm; probabilities after the
 * third as Developer Edition orgs ship them, UNCONFIRMED in the docs): value, probability, forecast category name, closed, won. */
export const DEFAULT_STAGES = [
  { name: 'Prospecting', probability: 10, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Qualification', probability: 10, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Value Proposition', probability: 50, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Closed Won', probability: 100, forecast: 'Closed', closed: true, won: true },
  { name: 'Closed Lost', probability: 0, forecast: 'Omitted', closed: true, won: false },
] as const

// ForecastCategory API values for ForecastCategoryName labels (Object Reference "Opportunity", ForecastCategory).
export const FORECAST_CATEGORY: Record<string, string> = {
  Omitted: 'Omitted',
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  'Most Likely': 'MostLikely',
  Closed: 'Closed',
}

export const OPPORTUNITY_TYPES = [
  'Existing Customer - Upgrade',
  'Existing Customer - Replacement',
  'Existing Customer - Downgrade',
  'New Customer',
]
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']
export const REGIONS = ['EMEA', 'North America', 'LATAM', 'APAC']
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY']

const audit = [
  field('CreatedDate', 'datetime', readOnly),
  ref('CreatedById', 'User', 'CreatedBy', readOnly),
  field('LastModifiedDate', 'datetime', readOnly),
  ref('LastModifiedById', 'User', 'LastModifiedBy', readOnly),
  field('SystemModstamp', 'datetime', readOnly),
]

// LastViewedDate and LastReferencedDate: "The timestamp when the current user last viewed this record" and "...
// last accessed this record, a related record, or a list view" (Object Reference, Opportunity and Account pages,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm).
// Salesforce keeps them per user; the emulator keeps one value per record, the last view by any user (its
// recently viewed lists are per user: recently-viewed.ts). Set only by SOQL FOR VIEW / FOR REFERENCE.
const recentUse = [
  field('LastViewedDate', 'datetime', readOnly),
  field('LastReferencedDate', 'datetime', readOnly),
]

function object(name: string, keyPrefix: string, labelPlural: string, fields: FieldDef[]): ObjectDef {
  return {
    name,
    label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    labelPlural,
    keyPrefix,
    custom: false,
    queryable: true,
    fields,
  }
}

/**
 * CurrencyType: the org's currencies, only in multi-currency orgs ("not available in single-currency
 * organizations", Object Reference, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_currencytype.htm).
 * Types and lengths from the Field Reference
 * (https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-currencytype.html):
 * ConversionRate double(18,6) "against the corporate currency", DecimalPlaces int, IsoCode a restricted picklist.
 * The key prefix 02M is UNCONFIRMED (the reference does not list prefixes).
 */
function currencyType(): ObjectDef {
  return object('CurrencyType', '02M', 'Currency Types', [
    field('Id', 'id', readOnly),
    picklist('IsoCode', CURRENCIES, { nillable: false, length: 40, label: 'Currency ISO Code' }),
    field('ConversionRate', 'double', { nillable: false, precision: 18, scale: 6 }),
    field('DecimalPlaces', 'int', { nillable: false, precision: 9 }),
    field('IsActive', 'boolean', { label: 'Active' }),
    field('IsCorporate', 'boolean', { label: 'Corporate Currency' }),
    ...audit,
  ])
}

export function buildSchema(options: { multiCurrency: boolean }): ObjectDef[] {
  const currency = options.multiCurrency ? [picklist('CurrencyIsoCode', CURRENCIES, { nillable: false })] : []
  return [
    object('Opportunity', '006', 'Opportunities', [
      field('Id', 'id', readOnly),
      field('IsDeleted', 'boolean', readOnly),
      ref('AccountId', 'Account', 'Account'),
      field('IsPrivate', 'boolean'),
      field('Name', 'string', { nillable: false, length: 120 }),
      field('Description', 'textarea'),
      picklist(
        'StageName',
        DEFAULT_STAGES.map((s) => s.name),
        { nillable: false },
      ),
      field('Amount', 'currency'),
      field('Probability', 'percent'),
      field('ExpectedRevenue', 'currency', { ...readOnly, calculated: true }),
      field('TotalOpportunityQuantity', 'double'),
      field('CloseDate', 'date', { nillable: false }),
      picklist('Type', OPPORTUNITY_TYPES),
      field('NextStep', 'string'),
      picklist('LeadSource', LEAD_SOURCES),
      field('IsClosed', 'boolean', readOnly),
      field('IsWon', 'boolean', readOnly),
      picklist('ForecastCategory', Object.values(FORECAST_CATEGORY), readOnly),
      picklist('ForecastCategoryName', Object.keys(FORECAST_CATEGORY)),
      ...currency,
      field('HasOpportunityLineItem', 'boolean', readOnly),
      ref('OwnerId', 'User', 'Owner', { nillable: false }),
      ...audit,
      field('LastActivityDate', 'date', readOnly),
      ...recentUse,
      field('FiscalQuarter', 'int', readOnly),
      field('FiscalYear', 'int', readOnly),
      field('Fiscal', 'string', { ...readOnly, length: 6 }),
      picklist('Region__c', REGIONS, { custom: true }),
      field('Deal_Score__c', 'double', { custom: true, precision: 3 }),
      field('Competitor__c', 'string', { custom: true, length: 80 }),
    ]),
    object('Account', '001', 'Accounts', [
      field('Id', 'id', readOnly),
      field('IsDeleted', 'boolean', readOnly),
      field('Name', 'string', { nillable: false }),
      picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner']),
      picklist('Industry', ['Technology', 'Manufacturing', 'Retail', 'Finance', 'Healthcare', 'Energy']),
      field('BillingCountry', 'string'),
      // Object Reference "Account" (sforce_api_objects_account.htm): ParentId → Account, relationship Parent.
      ref('ParentId', 'Account', 'Parent'),
      ref('OwnerId', 'User', 'Owner', { nillable: false }),
      ...audit,
      ...recentUse,
    ]),
    object('User', '005', 'Users', [
      field('Id', 'id', readOnly),
      field('Username', 'string', { nillable: false, length: 80 }),
      field('FirstName', 'string', { length: 40 }),
      field('LastName', 'string', { nillable: false, length: 80 }),
      field('Name', 'string', { ...readOnly, length: 121 }),
      field('Email', 'email', { nillable: false, length: 128 }),
      field('Alias', 'string', { length: 8 }),
      field('CommunityNickname', 'string', { length: 40 }),
      field('Title', 'string', { length: 80 }),
      field('Department', 'string', { length: 80 }),
      field('IsActive', 'boolean'),
      picklist('UserType', ['Standard'], readOnly),
      // Object Reference "User" (sforce_api_objects_user.htm): ManagerId → User, relationship Manager; the locale
      // keys are required picklists there (values here: the few the emulator's users use).
      ref('ManagerId', 'User', 'Manager'),
      picklist('TimeZoneSidKey', [
        'America/Los_Angeles',
        'America/New_York',
        'Europe/London',
        'Europe/Berlin',
        'Asia/Tokyo',
      ]),
      picklist('LocaleSidKey', ['en_US', 'en_GB', 'de_DE', 'ja_JP']),
      picklist('LanguageLocaleKey', ['en_US', 'de', 'ja']),
      ...audit,
    ]),
    object('OpportunityTeamMember', '00q', 'Opportunity Team Members', [
      field('Id', 'id', readOnly),
      field('IsDeleted', 'boolean', readOnly),
      ref('OpportunityId', 'Opportunity', 'Opportunity', { nillable: false, updateable: false }),
      ref('UserId', 'User', 'User', { nillable: false }),
      field('Name', 'string', { ...readOnly, length: 361 }),
      picklist('TeamMemberRole', [
        'Account Manager',
        'Sales Rep',
        'Sales Manager',
        'Pre-Sales Consultant',
        'Executive Sponsor',
      ]),
      picklist('OpportunityAccessLevel', ['Read', 'Edit', 'All']),
      ...audit,
    ]),
    object('OpportunityStage', '01J', 'Opportunity Stages', [
      field('Id', 'id', readOnly),
      field('MasterLabel', 'string', readOnly),
      field('ApiName', 'string', readOnly),
      field('IsActive', 'boolean', readOnly),
      field('SortOrder', 'int', readOnly),
      field('IsClosed', 'boolean', readOnly),
      field('IsWon', 'boolean', readOnly),
      picklist('ForecastCategory', Object.values(FORECAST_CATEGORY), readOnly),
      picklist('ForecastCategoryName', Object.keys(FORECAST_CATEGORY), readOnly),
      field('DefaultProbability', 'percent', readOnly),
      ...audit,
    ]),
    ...(options.multiCurrency ? [currencyType()] : []),
    object('Organization', '00D', 'Organizations', [
      field('Id', 'id', readOnly),
      field('Name', 'string', readOnly),
      field('OrganizationType', 'string', readOnly),
      field('IsSandbox', 'boolean', readOnly),
      field('InstanceName', 'string', readOnly),
      // DefaultCurrencyIsoCode: the org's corporate currency, in single- and multi-currency orgs alike
      // (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm).
      picklist('DefaultCurrencyIsoCode', CURRENCIES, readOnly),
      // Object Reference "Organization" (sforce_api_objects_organization.htm): NamespacePrefix is null without a
      // namespace, TrialExpirationDate null for orgs that are not trials. The Salesforce CLI selects both after
      // every login and `sf data query` (sfdx-core src/org/org.ts, retrieveOrganizationInformation).
      field('NamespacePrefix', 'string', { ...readOnly, length: 15 }),
      field('TrialExpirationDate', 'datetime', readOnly),
      ...audit,
    ]),
  ]
}
