// Who may post: the module default (one row) and per-opportunity overrides.
import { trackableFields, type WhoMayPost } from '../../../contracts/api/feed.api.js'
import type { Db } from '../../storage/open-database.js'

type TrackableField = (typeof trackableFields)[number]

export async function readDefaultWhoMayPost(db: Db): Promise<WhoMayPost> {
  const row = await db.selectFrom('crm_feed_settings').select('who_may_post').executeTakeFirstOrThrow()
  return row.who_may_post
}

/** Who may add members to a deal: its members (and admins), or admins only (the module default). */
export async function readWhoMayAddMembers(db: Db): Promise<WhoMayPost> {
  const row = await db.selectFrom('crm_feed_settings').select('who_may_add_members').executeTakeFirstOrThrow()
  return row.who_may_add_members
}

/** The fields the change timeline tracks, as the admin chose them (known fields only, in the list's order). */
export async function readTrackedFields(db: Db): Promise<TrackableField[]> {
  const row = await db.selectFrom('crm_feed_settings').select('tracked_fields').executeTakeFirstOrThrow()
  return trackableFields.filter((field) => row.tracked_fields.includes(field))
}

export async function writeFeedSettings(
  db: Db,
  settings: {
    whoMayPost?: WhoMayPost | undefined
    whoMayAddMembers?: WhoMayPost | undefined
    trackedFields?: TrackableField[] | undefined
  },
  actorId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('crm_feed_settings')
    .set({
      ...(settings.whoMayPost ? { who_may_post: settings.whoMayPost } : {}),
      ...(settings.whoMayAddMembers ? { who_may_add_members: settings.whoMayAddMembers } : {}),
      ...(settings.trackedFields ? { tracked_fields: [...new Set(settings.trackedFields)] } : {}),
      updated_at: at,
      updated_by: actorId,
    })
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
