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
    /** Most used first. */
    stages: z.array(z.object({ name: z.string(), count: z.number() })),
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
