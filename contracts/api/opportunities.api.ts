// Opportunities as the portals see them: the member's own list, summary and detail, and the admin's
// All Opportunities. Lists page with an opaque `cursor` (keyset, never OFFSET): pass back `nextCursor` with the
// same filters and sort to get the next page; a cursor from another sort is refused with VALIDATION_FAILED.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

/** A Salesforce record id: 15 (case-sensitive) or 18 characters. */
export const SalesforceIdSchema = z.string().regex(/^[A-Za-z0-9]{15,18}$/, 'Not a valid Salesforce id.')
export const OpportunityIdParams = z.strictObject({ id: SalesforceIdSchema })

const IsoDateSchema = z.iso.date('Use a date as YYYY-MM-DD.')
/** `?stage=A&stage=B` or `?stage=A`: repeated keys arrive as an array. */
const OneOrManySchema = z
  .union([z.string().max(255), z.array(z.string().max(255)).max(50)])
  .transform((value) => (Array.isArray(value) ? value : [value]))

/** Sorts of every list (Salesforce can sort by these too, so they work with the cache off). */
export const opportunitySorts = ['closeDate', 'amount', 'name', 'lastModified'] as const
export type OpportunitySort = (typeof opportunitySorts)[number]
/**
 * My Opportunities can also sort by last activity (the newest feed entry), which only the local feed knows:
 * with "Cache data locally" off that sort is refused (VALIDATION_FAILED), the other sorts run in Salesforce.
 */
export const memberSorts = [...opportunitySorts, 'lastActivity'] as const
export type ListSort = (typeof memberSorts)[number]
/** open: not closed; closed: closed won or lost; won: closed won; lost: closed lost. */
export const opportunityStatuses = ['open', 'closed', 'won', 'lost'] as const

/** Filters shared by every list, totals and summary. `search` matches name or account name, any case. */
const filterFields = {
  search: z.string().trim().max(200).optional(),
  stage: OneOrManySchema.optional(),
  status: z.enum(opportunityStatuses).optional(),
  closeDateFrom: IsoDateSchema.optional(),
  closeDateTo: IsoDateSchema.optional(),
}
/**
 * Sorting: NULL close dates sort after every date ascending; NULL amounts and last-modified dates sort
 * before every value ascending (so "largest first" and "recently modified first" put blanks last).
 */
const pageFields = {
  sort: z.enum(opportunitySorts).default('closeDate'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
}
const adminFilterFields = {
  ...filterFields,
  /** Salesforce owner (User) id; repeat for several. */
  owner: OneOrManySchema.optional(),
  members: z.enum(['with', 'without']).optional(),
  /** Only deals with a feed entry (post, reply, system entry) in the last N days. */
  activityDays: z.coerce.number().int().min(1).max(365).optional(),
}

/** Blank activity (no feed entry yet) sorts before every time ascending, so "most recent first" puts it last. */
export const MemberListQuerySchema = z.strictObject({
  ...filterFields,
  ...pageFields,
  sort: z.enum(memberSorts).default('closeDate'),
})
export const MemberSummaryQuerySchema = z.strictObject(filterFields)
export const AdminListQuerySchema = z.strictObject({ ...adminFilterFields, ...pageFields })
export const AdminTotalsQuerySchema = z.strictObject(adminFilterFields)
export type OpportunityListQuery = z.infer<typeof AdminListQuerySchema>
export type MemberOpportunityListQuery = z.infer<typeof MemberListQuerySchema>
export type OpportunityFilters = z.infer<typeof AdminTotalsQuerySchema>

/**
 * An amount in one currency: the record's CurrencyIsoCode, or the org's corporate currency in a single-currency
 * org; null only while the org's currency is not known yet.
 */
export const MoneySchema = z.object({
  currencyIsoCode: z.string().nullable(),
  amount: z.number(),
  /**
   * True when the amount adds up records in other currencies converted into this one (the corporate currency)
   * with the org's conversion rates, as Salesforce's aggregates do; absent for a sum in the records' own currency.
   */
  converted: z.boolean().optional(),
})
export type Money = z.infer<typeof MoneySchema>

/** The fields of an opportunity every shape shows. */
const OpportunityFieldsSchema = z.object({
  id: z.string(),
  name: z.string(),
  accountName: z.string().nullable(),
  amount: z.number().nullable(),
  currencyIsoCode: z.string().nullable(),
  closeDate: z.string().nullable(),
  stageName: z.string().nullable(),
  probability: z.number().nullable(),
  forecastCategoryName: z.string().nullable(),
  ownerName: z.string().nullable(),
  isClosed: z.boolean(),
  isWon: z.boolean(),
  lastModifiedDate: z.string().nullable(),
})

export const OpportunityListItemSchema = OpportunityFieldsSchema.extend({
  /** The newest feed entry (post, reply or system entry) on the deal; null when its feed is empty. */
  lastActivityAt: z.string().nullable(),
  /** Someone else (or the module) wrote in the feed since the signed-in user last opened it. */
  unread: z.boolean(),
})
export type OpportunityListItem = z.infer<typeof OpportunityListItemSchema>

export const AdminOpportunityListItemSchema = OpportunityListItemSchema.extend({
  ownerId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  memberCount: z.number(),
})
export type AdminOpportunityListItem = z.infer<typeof AdminOpportunityListItemSchema>

export const OpportunityDetailSchema = OpportunityFieldsSchema.extend({
  accountId: z.string().nullable(),
  type: z.string().nullable(),
  leadSource: z.string().nullable(),
  nextStep: z.string().nullable(),
  description: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  createdDate: z.string().nullable(),
  /** When the sync last wrote this record; null when it was read live from Salesforce (`source: 'live'`). */
  lastSyncedAt: z.string().nullable(),
  /** cache: from the local copy ("Cache data locally" on); live: read from Salesforce for this request. */
  source: z.enum(['cache', 'live']),
  /** Opens the record in Salesforce (Lightning when the instance URL allows; see salesforce-url.ts). */
  salesforceUrl: z.string().nullable(),
  /** Extra fields the admin chose to sync, by Salesforce API name. */
  extraFields: z.record(z.string(), z.unknown()),
})
export type OpportunityDetail = z.infer<typeof OpportunityDetailSchema>

/**
 * What the member portal should show when there is nothing to list: not_configured (no Salesforce
 * connection), not_synced (connected, nothing synced yet), no_assignments (ask your admin), ready.
 */
export const crmPortalStatuses = ['not_configured', 'not_synced', 'no_assignments', 'ready'] as const
export const CrmPortalStatusSchema = z.enum(crmPortalStatuses)
export type CrmPortalStatus = z.infer<typeof CrmPortalStatusSchema>

export const listMyOpportunities = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities',
  access: 'user',
  tag: 'opportunities',
  summary: 'The opportunities assigned to the signed-in user (403 MODULE_DISABLED when CRM is off)',
  query: MemberListQuerySchema,
  response: z.object({
    status: CrmPortalStatusSchema,
    /** Live (not deleted) opportunities assigned to the user, before filters. */
    assignedCount: z.number(),
    /** Matches of the current filters, across all pages. */
    totalCount: z.number(),
    items: z.array(OpportunityListItemSchema),
    nextCursor: z.string().nullable(),
  }),
})

export const StageSummarySchema = z.object({
  stageName: z.string().nullable(),
  /** The stage's place in the org's order (OpportunityStage.SortOrder); null for a stage the org does not list. */
  sortOrder: z.number().nullable(),
  isClosed: z.boolean(),
  /** The ForecastCategoryName most of the stage's deals have (Pipeline, Best Case, Commit, Closed, Omitted…). */
  forecastCategoryName: z.string().nullable(),
  count: z.number(),
  amounts: z.array(MoneySchema),
})

export const getMyOpportunitySummary = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities/summary',
  access: 'user',
  tag: 'opportunities',
  summary:
    'Pipeline summary of the signed-in user: open, weighted, won this quarter, per stage; per currency',
  query: MemberSummaryQuerySchema,
  response: z.object({
    status: CrmPortalStatusSchema,
    assignedCount: z.number(),
    openCount: z.number(),
    /** Sum of open amounts, one entry per currency (currencies are never added together). */
    openPipeline: z.array(MoneySchema),
    /** Sum of amount × probability / 100 over open opportunities, per currency. */
    weightedPipeline: z.array(MoneySchema),
    /** Closed won with a close date in the current calendar quarter (UTC). */
    wonThisQuarter: z.object({
      count: z.number(),
      amounts: z.array(MoneySchema),
      quarterStart: z.string(),
      quarterEnd: z.string(),
    }),
    /** Board columns and chart bars, in the org's stage order (compareStages in stage-order.ts). */
    stages: z.array(StageSummarySchema),
  }),
})

export const getMyOpportunity = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities/:id',
  access: 'user',
  tag: 'opportunities',
  summary: 'One opportunity for the detail page; 404 unless assigned (admins: any); 410 OPPORTUNITY_DELETED',
  params: OpportunityIdParams,
  response: z.object({ opportunity: OpportunityDetailSchema }),
})

export const listAllOpportunities = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities',
  access: 'admin',
  tag: 'opportunities',
  summary: 'All Opportunities: search, filter, sort, keyset pages (totals come from /totals)',
  query: AdminListQuerySchema,
  response: z.object({ items: z.array(AdminOpportunityListItemSchema), nextCursor: z.string().nullable() }),
})

export const getAllOpportunitiesTotals = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/totals',
  access: 'admin',
  tag: 'opportunities',
  summary: 'Count and per-currency amount of All Opportunities matching the filters (ask once per filter)',
  query: AdminTotalsQuerySchema,
  response: z.object({ count: z.number(), amounts: z.array(MoneySchema) }),
})
