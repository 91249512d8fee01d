// Who may post and who may add members: the module default (one row) and per-opportunity rules, where a null
// column follows the default.
import { sql } from 'kysely'

import {
  trackableFields,
  type DealRules,
  type RuleInForce,
  type WhoMayPost,
} from '../../../contracts/api/feed.api.js'
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

/**
 * The columns both rules of a deal are decided from, for a query that has the module default as `d` and the
 * deal's own row (left joined, possibly absent) as `s`. toDealRules reads them.
 */
export const RULE_COLUMNS = sql`
  d.who_may_post as default_who_may_post, s.who_may_post as deal_who_may_post,
  d.who_may_add_members as default_who_may_add_members, s.who_may_add_members as deal_who_may_add_members`

export interface RuleColumns {
  default_who_may_post: WhoMayPost
  deal_who_may_post: WhoMayPost | null
  default_who_may_add_members: WhoMayPost
  deal_who_may_add_members: WhoMayPost | null
}

const inForce = (own: WhoMayPost | null, moduleDefault: WhoMayPost): RuleInForce => ({
  value: own ?? moduleDefault,
  source: own === null ? 'module' : 'deal',
  moduleDefault,
})

export const toDealRules = (row: RuleColumns): DealRules => ({
  whoMayPost: inForce(row.deal_who_may_post, row.default_who_may_post),
  whoMayAddMembers: inForce(row.deal_who_may_add_members, row.default_who_may_add_members),
})

/** Both rules of one opportunity as they apply now (whether or not it exists; callers check that first). */
export async function readDealRules(db: Db, opportunityId: string): Promise<DealRules> {
  const { rows } = await sql<RuleColumns>`
    select ${RULE_COLUMNS}
    from crm_feed_settings d
    left join crm_feed_opportunity_settings s on s.opportunity_id = ${opportunityId}`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('crm_feed_settings has no row')
  return toDealRules(row)
}

/** A change of a deal's rules: a value sets a rule, null hands it back to the module default, undefined keeps it. */
export interface DealRuleChange {
  whoMayPost?: WhoMayPost | null | undefined
  whoMayAddMembers?: WhoMayPost | null | undefined
}

/**
 * Sets an opportunity's own rules: a value sets it, null hands it back to the module default, undefined leaves
 * it as it is. One upsert (concurrent changes of the two rules both stay), then a row left with no rule goes.
 */
export async function writeDealRules(
  db: Db,
  opportunityId: string,
  rules: DealRuleChange,
  actorId: string,
  at: Date,
): Promise<void> {
  const changed = {
    ...(rules.whoMayPost !== undefined ? { who_may_post: rules.whoMayPost } : {}),
    ...(rules.whoMayAddMembers !== undefined ? { who_may_add_members: rules.whoMayAddMembers } : {}),
    updated_at: at,
    updated_by: actorId,
  }
  await db
    .insertInto('crm_feed_opportunity_settings')
    .values({ opportunity_id: opportunityId, who_may_post: null, who_may_add_members: null, ...changed })
    .onConflict((oc) => oc.column('opportunity_id').doUpdateSet(changed))
    .execute()
  await db
    .deleteFrom('crm_feed_opportunity_settings')
    .where('opportunity_id', '=', opportunityId)
    .where('who_may_post', 'is', null)
    .where('who_may_add_members', 'is', null)
    .execute()
}
