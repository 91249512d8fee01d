// Who may post: the module default (one row) and per-opportunity overrides.
import type { WhoMayPost } from '../../../contracts/api/feed.api.js'
import type { Db } from '../../storage/open-database.js'

export async function readDefaultWhoMayPost(db: Db): Promise<WhoMayPost> {
  const row = await db.selectFrom('crm_feed_settings').select('who_may_post').executeTakeFirstOrThrow()
  return row.who_may_post
}

export async function writeDefaultWhoMayPost(
  db: Db,
  whoMayPost: WhoMayPost,
  actorId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('crm_feed_settings')
    .set({ who_may_post: whoMayPost, updated_at: at, updated_by: actorId })
    .execute()
}

/** Sets (or, with null, removes) an opportunity's own rule. */
export async function writeOpportunityWhoMayPost(
  db: Db,
  opportunityId: string,
  whoMayPost: WhoMayPost | null,
  actorId: string,
  at: Date,
): Promise<void> {
  if (whoMayPost === null) {
    await db.deleteFrom('crm_feed_opportunity_settings').where('opportunity_id', '=', opportunityId).execute()
    return
  }
  await db
    .insertInto('crm_feed_opportunity_settings')
    .values({ opportunity_id: opportunityId, who_may_post: whoMayPost, updated_at: at, updated_by: actorId })
    .onConflict((oc) =>
      oc
        .column('opportunity_id')
        .doUpdateSet({ who_may_post: whoMayPost, updated_at: at, updated_by: actorId }),
    )
    .execute()
}
