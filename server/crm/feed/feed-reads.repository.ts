// When a person last opened an opportunity's feed: the lists' unread marker compares it with the feed's
// entries by others (opportunities/list-activity.repository.ts).
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { canSeeOpportunity } from './feed-access.repository.js'

/**
 * Records that `viewer` saw the feed at `at`. Access is part of the statement (nothing to race with an
 * unassignment); false when the viewer may not see the deal. A read time never moves back.
 */
export async function markFeedRead(
  db: Db,
  viewer: Viewer,
  opportunityId: string,
  at: Date,
): Promise<boolean> {
  const { rows } = await sql<{ opportunity_id: string }>`
    insert into crm_feed_reads (user_id, opportunity_id, read_at)
    select ${viewer.userId}::uuid, o.id, ${at}::timestamptz
      from crm_opportunities o
     where o.id = ${opportunityId} and ${canSeeOpportunity(viewer)}
    on conflict (user_id, opportunity_id) do update set read_at = excluded.read_at
      where crm_feed_reads.read_at < excluded.read_at
    returning opportunity_id`.execute(db)
  if (rows.length > 0) return true
  // Nothing written: either not visible, or already read at a later time.
  const visible = await db
    .selectFrom('crm_opportunities as o')
    .select('o.id')
    .where('o.id', '=', opportunityId)
    .where(canSeeOpportunity(viewer))
    .executeTakeFirst()
  return visible !== undefined
}
