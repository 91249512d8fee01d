// The feed's SQL. A page is one statement: the opportunity (only if the viewer may see it), its posting
// rule, and a keyset range of its top-level posts from the (opportunity_id, activity_at, id) index, each with
// its files and its live replies (with theirs) as JSON from the (parent_id, created_at, id) index. One
// statement rather than a second one for the replies: under load each statement waits for a pooled
// connection, and a feed read waited twice. No query runs per post.
import { sql, type Expression, type RawBuilder } from 'kysely'

import type { DealRules } from '../../../contracts/api/feed.api.js'
import type { Db } from '../../storage/open-database.js'
import { prepared } from '../../storage/prepared.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { canSeeOpportunity } from './feed-access.repository.js'
import { filesOfPost, type FileInfoRow } from './feed-files.repository.js'
import { RULE_COLUMNS, toDealRules, type RuleColumns } from './feed-settings.repository.js'

/** What decides whether a viewer may read and write an opportunity's feed. */
export interface FeedAccess {
  moduleEnabled: boolean
  opportunityDeleted: boolean
  /** Both of the deal's rules, each its own or the module default. */
  rules: DealRules
}

export interface EntryRow {
  id: string
  opportunity_id: string
  parent_id: string | null
  author_id: string | null
  author_name: string | null
  kind: 'post' | 'system'
  body: string
  body_html: string
  created_at: Date
  edited_at: Date | null
  deleted_at: Date | null
  activity_at: Date
}

/** An entry with its files (upload order), as a page, its replies and a read-back bring it. */
export interface EntryWithFiles extends EntryRow {
  files: FileInfoRow[]
}

export interface FeedKey {
  activityAt: Date
  id: string
}

const ACCESS_COLUMNS = sql`
  coalesce((select enabled from module_settings where id = 'crm'), false) as module_enabled,
  o.is_deleted as opportunity_deleted, ${RULE_COLUMNS}`

interface AccessRow extends RuleColumns {
  module_enabled: boolean
  opportunity_deleted: boolean
}

const toAccess = (row: AccessRow): FeedAccess => ({
  moduleEnabled: row.module_enabled,
  opportunityDeleted: row.opportunity_deleted,
  rules: toDealRules(row),
})

/** Undefined when the opportunity does not exist or the viewer may not see it. */
export async function readFeedPage(
  db: Db,
  viewer: Viewer,
  opportunityId: string,
  limit: number,
  after: FeedKey | undefined,
): Promise<{ access: FeedAccess; posts: PagePost[] } | undefined> {
  const afterKey = after ? sql`and (p.activity_at, p.id) < (${after.activityAt}, ${after.id}::uuid)` : sql``
  const { rows } = await prepared(sql<AccessRow & { [K in keyof PageRow]: PageRow[K] | null }>`
    select ${ACCESS_COLUMNS}, p.*, u.name as author_name
    from crm_opportunities o
    cross join crm_feed_settings d
    left join crm_feed_opportunity_settings s on s.opportunity_id = o.id
    left join lateral (
      select p.id, p.opportunity_id, p.parent_id, p.author_id, p.kind, p.body, p.body_html,
             p.created_at, p.edited_at, p.deleted_at, p.activity_at, ${filesOfPost(sql.ref('p.id'))} as files,
             ${repliesOf(sql.ref('p.id'))} as replies
      from crm_feed_posts p
      where p.opportunity_id = o.id and p.parent_id is null ${afterKey}
        and (p.deleted_at is null or exists (
          select 1 from crm_feed_posts r where r.parent_id = p.id and r.deleted_at is null))
      order by p.activity_at desc, p.id desc
      limit ${limit}
    ) p on true
    left join users u on u.id = p.author_id
    where o.id = ${opportunityId} and ${canSeeOpportunity(viewer)}
    order by p.activity_at desc, p.id desc`).execute(db)
  const first = rows[0]
  if (!first) return undefined
  const posts = rows
    .filter((row): row is AccessRow & PageRow => row.id !== null)
    .map(({ replies, ...post }) => ({ ...post, replies: replies.map(fromJson) }))
  return { access: toAccess(first), posts }
}

/** A top-level post of a page with its live replies, oldest first, each with its files. */
export interface PagePost extends EntryWithFiles {
  replies: EntryWithFiles[]
}

type JsonDates<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K]
}
type PageRow = EntryWithFiles & { replies: Array<JsonDates<EntryWithFiles>> }

/** The live replies of post `postId`, oldest first, with their files: a JSON array of EntryWithFiles. */
function repliesOf(postId: Expression<unknown>): RawBuilder<unknown> {
  return sql`(
    select coalesce(json_agg(json_build_object(
             'id', r.id, 'opportunity_id', r.opportunity_id, 'parent_id', r.parent_id, 'author_id', r.author_id,
             'author_name', ru.name, 'kind', r.kind, 'body', r.body, 'body_html', r.body_html,
             'created_at', r.created_at, 'edited_at', r.edited_at, 'deleted_at', r.deleted_at,
             'activity_at', r.activity_at, 'files', ${filesOfPost(sql.ref('r.id'))})
             order by r.created_at, r.id), '[]'::json)
    from crm_feed_posts r
    left join users ru on ru.id = r.author_id
    where r.parent_id = ${postId} and r.deleted_at is null)`
}

// JSON carries timestamps as ISO 8601 text; node-postgres and PGlite both give Dates of the same instant.
const toDate = (value: string | null) => (value === null ? null : new Date(value))
function fromJson(reply: JsonDates<EntryWithFiles>): EntryWithFiles {
  return {
    ...reply,
    created_at: new Date(reply.created_at),
    edited_at: toDate(reply.edited_at),
    deleted_at: toDate(reply.deleted_at),
    activity_at: new Date(reply.activity_at),
  }
}

function selectEntries(db: Db) {
  return db
    .selectFrom('crm_feed_posts as p')
    .leftJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.opportunity_id',
      'p.parent_id',
      'p.author_id',
      'u.name as author_name',
      'p.kind',
      'p.body',
      'p.body_html',
      'p.created_at',
      'p.edited_at',
      'p.deleted_at',
      'p.activity_at',
      filesOfPost(sql.ref('p.id')).as('files'),
    ])
}

/** The access facts of an opportunity the viewer may see; undefined otherwise. */
export async function readFeedAccess(
  db: Db,
  viewer: Viewer,
  opportunityId: string,
): Promise<FeedAccess | undefined> {
  const { rows } = await prepared(sql<AccessRow>`
    select ${ACCESS_COLUMNS}
    from crm_opportunities o
    cross join crm_feed_settings d
    left join crm_feed_opportunity_settings s on s.opportunity_id = o.id
    where o.id = ${opportunityId} and ${canSeeOpportunity(viewer)}`).execute(db)
  return rows[0] ? toAccess(rows[0]) : undefined
}

/** A post or reply with its opportunity's access facts, if the viewer may see that opportunity. */
export async function findEntryForViewer(
  db: Db,
  viewer: Viewer,
  postId: string,
): Promise<{ entry: EntryRow; access: FeedAccess } | undefined> {
  const { rows } = await sql<AccessRow & EntryRow>`
    select ${ACCESS_COLUMNS}, p.id, p.opportunity_id, p.parent_id, p.author_id, u.name as author_name,
           p.kind, p.body, p.body_html, p.created_at, p.edited_at, p.deleted_at, p.activity_at
    from crm_feed_posts p
    join crm_opportunities o on o.id = p.opportunity_id
    cross join crm_feed_settings d
    left join crm_feed_opportunity_settings s on s.opportunity_id = o.id
    left join users u on u.id = p.author_id
    where p.id = ${postId} and ${canSeeOpportunity(viewer)}`.execute(db)
  const row = rows[0]
  return row ? { entry: row, access: toAccess(row) } : undefined
}

export interface NewEntry {
  opportunityId: string
  parentId: string | null
  authorId: string | null
  kind: 'post' | 'system'
  body: string
  bodyHtml: string
  at: Date
}

/**
 * Inserts a post or reply and returns it as stored, with its author's name (so a new post needs no read-back);
 * a reply moves its parent's activity time, so the thread comes to the top.
 */
export async function insertEntry(db: Db, entry: NewEntry): Promise<EntryRow> {
  const row = await db
    .insertInto('crm_feed_posts')
    .values({
      opportunity_id: entry.opportunityId,
      parent_id: entry.parentId,
      author_id: entry.authorId,
      kind: entry.kind,
      body: entry.body,
      body_html: entry.bodyHtml,
      created_at: entry.at,
      activity_at: entry.at,
    })
    .returning((eb) => [
      'id',
      'opportunity_id',
      'parent_id',
      'author_id',
      'kind',
      'body',
      'body_html',
      'created_at',
      'edited_at',
      'deleted_at',
      'activity_at',
      eb
        .selectFrom('users as u')
        .select('u.name')
        .whereRef('u.id', '=', 'crm_feed_posts.author_id')
        .as('author_name'),
    ])
    .executeTakeFirstOrThrow()
  if (entry.parentId) {
    await db
      .updateTable('crm_feed_posts')
      .set({ activity_at: entry.at })
      .where('id', '=', entry.parentId)
      .where('activity_at', '<', entry.at)
      .execute()
  }
  return row
}

export async function findEntry(db: Db, id: string): Promise<EntryWithFiles | undefined> {
  return selectEntries(db).where('p.id', '=', id).executeTakeFirst()
}

export async function updateEntryBody(
  db: Db,
  id: string,
  body: { body: string; bodyHtml: string; at: Date },
): Promise<void> {
  await db
    .updateTable('crm_feed_posts')
    .set({ body: body.body, body_html: body.bodyHtml, edited_at: body.at })
    .where('id', '=', id)
    .execute()
}

export async function softDeleteEntry(db: Db, id: string, actorId: string, at: Date): Promise<void> {
  await db
    .updateTable('crm_feed_posts')
    .set({ deleted_at: at, deleted_by: actorId })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute()
}
