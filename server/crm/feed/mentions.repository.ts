// Who can be mentioned on an opportunity: the active users who can see it (its members and the admins).
// The viewer must see it too; that is part of the same statement.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import { escapeLike } from '../../users/users.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { canSeeOpportunity } from './feed-access.repository.js'

const TYPE_AHEAD_LIMIT = 20

export interface MentionableRow {
  id: string
  name: string
  email: string
}

/** Undefined when the viewer may not see the opportunity; otherwise the matching people (20 at most). */
export async function findMentionable(
  db: Db,
  viewer: Viewer,
  opportunityId: string,
  filter: { search?: string | undefined; ids?: readonly string[] | undefined },
): Promise<MentionableRow[] | undefined> {
  const search = filter.search ? `%${escapeLike(filter.search)}%` : null
  const ids = filter.ids ? sql`and u.id = any(${sql.val([...filter.ids])}::uuid[])` : sql``
  const limit = filter.ids ? filter.ids.length : TYPE_AHEAD_LIMIT
  const { rows } = await sql<{ id: string | null; name: string | null; email: string | null }>`
    select u.id, u.name, u.email
    from crm_opportunities o
    left join lateral (
      select u.id, u.name, u.email from users u
      where u.is_active
        and (u.role = 'admin' or exists (select 1 from crm_opportunity_members m
               where m.opportunity_id = o.id and m.user_id = u.id))
        and (${search}::text is null or u.name ilike ${search} or u.email ilike ${search})
        ${ids}
      order by u.name, u.email
      limit ${limit}
    ) u on true
    where o.id = ${opportunityId} and ${canSeeOpportunity(viewer)}`.execute(db)
  if (rows.length === 0) return undefined
  return rows.filter((row): row is MentionableRow => row.id !== null)
}

/** Replaces the mentions a post records (an edit can add or drop names). */
export async function writeMentions(db: Db, postId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('crm_feed_mentions').where('post_id', '=', postId).execute()
  await insertMentions(db, postId, userIds)
}

/** Records the mentions of a new post (which has none to replace: no statement when it mentions no one). */
export async function insertMentions(db: Db, postId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return
  await db
    .insertInto('crm_feed_mentions')
    .values(userIds.map((userId) => ({ post_id: postId, user_id: userId })))
    .execute()
}
