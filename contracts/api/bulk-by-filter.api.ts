// "Select all N matching this filter" in All Opportunities (issue 17 item 7): add or remove one user on every
// opportunity matching the filters, not only the page on screen. The client sends the count it showed; the
// server counts again in the same statement that writes, and writes nothing when the counts differ.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'
import { AdminTotalsQuerySchema } from './opportunities.api.js'

/**
 * The most matches one change may reach: one transaction writes a row (and a notification) per match, and
 * a workspace's real selections stay well under it; above it the admin narrows the filters first.
 */
export const MAX_BULK_BY_FILTER = 5_000

export const bulkChangeMembersByFilter = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/opportunities/members/bulk-by-filter',
  access: 'admin',
  tag: 'opportunity members',
  summary:
    'Add or remove one user (manual assignment) on every opportunity matching the filters; 409 ' +
    'SELECTION_CHANGED (nothing written) when the matches are no longer `expectedCount`; 400 ' +
    `SELECTION_TOO_LARGE (nothing written) above ${MAX_BULK_BY_FILTER} matches`,
  body: z.strictObject({
    /** The All Opportunities filters, as the list and its totals take them. */
    filters: AdminTotalsQuerySchema,
    /** How many matches the confirmation showed; above MAX_BULK_BY_FILTER the answer is SELECTION_TOO_LARGE. */
    expectedCount: z.number().int().min(1),
    userId: z.uuid('Not a valid user id.'),
    action: z.enum(['add', 'remove']),
  }),
  response: z.object({
    /** Opportunities matching the filters (equal to `expectedCount`). */
    matched: z.number(),
    /** Of those, the ones whose manual assignment changed. */
    changed: z.number(),
    /** Already in the requested state. */
    unchanged: z.number(),
  }),
})
