// One opportunity for a viewer. Access is part of the query: a member gets the row only through their own
// membership (admins get any), so "not assigned" and "does not exist" are the same empty result.
import { sql } from 'kysely'

import { AppError, notFound } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import type { OpportunityRow } from './opportunity.js'

export interface Viewer {
  userId: string
  isAdmin: boolean
}

export type VisibleOpportunity = OpportunityRow & { instance_url: string | null }

export function findVisibleOpportunity(
  db: Db,
  id: string,
  viewer: Viewer,
): Promise<VisibleOpportunity | undefined> {
  return db
    .selectFrom('crm_opportunities as o')
    .innerJoin('crm_connections as c', 'c.id', 'o.connection_id')
    .selectAll('o')
    .select('c.instance_url')
    .where('o.id', '=', id)
    .where((eb) =>
      viewer.isAdmin
        ? sql<boolean>`true`
        : eb.exists(
            eb
              .selectFrom('crm_opportunity_members as m')
              .select(sql`1`.as('one'))
              .whereRef('m.opportunity_id', '=', 'o.id')
              .where('m.user_id', '=', viewer.userId),
          ),
    )
    .executeTakeFirst()
}

/** The opportunity if the viewer may see it and it still exists in Salesforce; 404 or 410 otherwise. */
export async function getVisibleOpportunity(db: Db, id: string, viewer: Viewer): Promise<VisibleOpportunity> {
  const row = await findVisibleOpportunity(db, id, viewer)
  if (!row) throw notFound('This opportunity')
  if (row.is_deleted) throw new AppError('OPPORTUNITY_DELETED', 'This opportunity was deleted in Salesforce')
  return row
}

/** Only what "why can this user see it?" needs: whether the record exists and is live. */
export function findOpportunityState(db: Db, id: string) {
  return db
    .selectFrom('crm_opportunities')
    .select(['id', 'name', 'is_deleted'])
    .where('id', '=', id)
    .executeTakeFirst()
}
