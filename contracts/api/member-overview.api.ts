// The module-level Members overview (issue 17 item 7): every active user with how many opportunities they have
// (manual, automatic) and their open pipeline per currency, and one user's opportunities with how they got each.
// Admin-only. Pages are numbered (OFFSET): a workspace has at most a few thousand users, and the sorts are on
// aggregates that a keyset cursor could not carry cheaply.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'
import { MemberUserSchema } from './members.api.js'
import { MoneySchema } from './opportunities.api.js'

/**
 * `cache`: figures from the local copy. `live` ("Cache data locally" off, or its refill not done): only the key
 * index is local, with assignments but no stage, amount or name, so open counts and pipelines are null; a
 * user's opportunities are read from Salesforce by the ids of the page.
 */
export const ReadModeSchema = z.enum(['cache', 'live'])

export const memberOverviewSorts = ['name', 'opportunities', 'manual', 'automatic', 'pipeline'] as const
export type MemberOverviewSort = (typeof memberOverviewSorts)[number]

const pageFields = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
}

export const MemberOverviewQuerySchema = z
  .strictObject({
    /** Name or email, any case. */
    search: z.string().trim().max(200).optional(),
    sort: z.enum(memberOverviewSorts).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    /**
     * The currency whose open pipeline `sort=pipeline` orders by: amounts in different currencies are never
     * compared or added, so that sort needs one.
     */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Use an ISO currency code such as EUR.')
      .optional(),
    ...pageFields,
  })
  .refine((query) => query.sort !== 'pipeline' || query.currency !== undefined, {
    path: ['currency'],
    message: 'Choose the currency to sort the pipeline by.',
  })
export type MemberOverviewQuery = z.infer<typeof MemberOverviewQuerySchema>

export const MemberOverviewRowSchema = z.object({
  user: MemberUserSchema,
  /** Opportunities (not deleted in Salesforce) the user is assigned to, however. */
  opportunityCount: z.number(),
  /** Added by an admin (removable). A deal can be both manual and automatic. */
  manualCount: z.number(),
  /** Through "assign owners and team members automatically" (Salesforce owner or team member). */
  automaticCount: z.number(),
  /** Null when the response's `mode` is `live`: the key index does not know which deals are closed. */
  openCount: z.number().nullable(),
  /** Sum of the open opportunities' amounts, one entry per currency, by currency code; null in `live` mode. */
  openPipeline: z.array(MoneySchema).nullable(),
})
export type MemberOverviewRow = z.infer<typeof MemberOverviewRowSchema>

export const getMemberOverview = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/member-overview',
  access: 'admin',
  tag: 'opportunity members',
  summary:
    'Every active user with their opportunity counts (manual, automatic) and open pipeline per currency',
  query: MemberOverviewQuerySchema,
  response: z.object({
    rows: z.array(MemberOverviewRowSchema),
    /** Users matching the search, across all pages. */
    totalCount: z.number(),
    /** Currencies of the matching users' open pipelines, for the pipeline sort (none in `live` mode). */
    currencies: z.array(z.string()),
    mode: ReadModeSchema,
  }),
})

export const MemberOpportunitySchema = z.object({
  id: z.string(),
  name: z.string(),
  accountName: z.string().nullable(),
  amount: z.number().nullable(),
  currencyIsoCode: z.string().nullable(),
  stageName: z.string().nullable(),
  closeDate: z.string().nullable(),
  isClosed: z.boolean(),
  /** Added by an admin: Remove takes it away. */
  isManual: z.boolean(),
  /** Automatic: these follow Salesforce and cannot be removed by hand. */
  viaOwnerRule: z.boolean(),
  viaTeamRule: z.boolean(),
  /** `live` mode only: Salesforce did not return this id (deleted there since the last sync), so only the id is known. */
  missingInSalesforce: z.boolean(),
})
export type MemberOpportunity = z.infer<typeof MemberOpportunitySchema>

export const listMemberOpportunities = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/member-overview/:userId/opportunities',
  access: 'admin',
  tag: 'opportunity members',
  summary: "One user's opportunities (not deleted) by name, with how they got each; 404 unknown user",
  params: z.strictObject({ userId: z.uuid('Not a valid user id.') }),
  query: z.strictObject(pageFields),
  response: z.object({
    user: MemberUserSchema,
    items: z.array(MemberOpportunitySchema),
    totalCount: z.number(),
    mode: ReadModeSchema,
    /**
     * `live` mode only: why Salesforce could not be read (down, session expired); the items then carry their
     * ids and how the user got them, but no names.
     */
    liveError: z.string().nullable(),
  }),
})
