// The choices of the admin's filter menus on All Opportunities: every stage and owner among the live
// opportunities, with how many each has, so a menu offers what exists and not only what one page showed.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const getOpportunityFilterOptions = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/opportunities/filter-options',
  access: 'admin',
  tag: 'opportunities',
  summary: 'Every stage and owner of the live opportunities with their counts, for the filter menus',
  response: z.object({
    /** In the org's stage order (compareStages in stage-order.ts); sortOrder null for a stage the org does not list. */
    stages: z.array(z.object({ name: z.string(), count: z.number(), sortOrder: z.number().nullable() })),
    /** By name. `id` is the Salesforce User id the `owner` filter takes. */
    owners: z.array(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        count: z.number(),
      }),
    ),
  }),
})
