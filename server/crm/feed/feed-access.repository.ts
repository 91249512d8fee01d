// Who may read an opportunity's feed, as SQL: admins, or a user with a membership row. Used inside every
// feed query, so access is decided by the same statement that reads or writes (nothing to race).
import { sql, type RawBuilder } from 'kysely'

import type { Viewer } from '../opportunities/opportunity-detail.repository.js'

/** True for a row of `crm_opportunities` aliased `alias` that `viewer` may see. */
export function canSeeOpportunity(viewer: Viewer, alias = 'o'): RawBuilder<boolean> {
  if (viewer.isAdmin) return sql<boolean>`true`
  return sql<boolean>`exists (select 1 from crm_opportunity_members m
    where m.opportunity_id = ${sql.ref(`${alias}.id`)} and m.user_id = ${viewer.userId})`
}
