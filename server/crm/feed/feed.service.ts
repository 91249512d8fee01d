// The feed's rules: who reads (members and admins, decided in the query), who writes (the posting rule,
// read-only once the deal is deleted in Salesforce), who edits (the author) and deletes (the author, admins).
import type { FeedEntry, FeedPost } from '../../../contracts/api/feed.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { assertModuleEnabled } from '../opportunities/crm-portal.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.js'
import {
  findEntry,
  findEntryForViewer,
  insertEntry,
  readFeedAccess,
  readFeedPage,
  readReplies,
  softDeleteEntry,
  updateEntryBody,
  type EntryRow,
  type FeedAccess,
} from './feed.repository.js'
import { renderPost } from './markdown.js'

const OPPORTUNITY = 'This opportunity'
const POST = 'This post'

export function mayPost(access: FeedAccess, viewer: Viewer): boolean {
  return !access.opportunityDeleted && (viewer.isAdmin || access.whoMayPost === 'members')
}

function assertMayPost(access: FeedAccess, viewer: Viewer): void {
  assertModuleEnabled(access)
  if (access.opportunityDeleted) {
    throw new AppError(
      'OPPORTUNITY_DELETED',
      'This opportunity was deleted in Salesforce; its feed is read-only.',
    )
  }
  if (!mayPost(access, viewer)) throw new AppError('FORBIDDEN', 'Only admins may post on this opportunity.')
}

function toEntry(row: EntryRow, access: FeedAccess, viewer: Viewer): FeedEntry {
  const isDeleted = row.deleted_at !== null
  const isAuthor = row.author_id !== null && row.author_id === viewer.userId
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    author: row.author_id && row.author_name ? { id: row.author_id, name: row.author_name } : null,
    body: isDeleted ? '' : row.body,
    bodyHtml: isDeleted ? '' : row.body_html,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    canEdit: !isDeleted && isAuthor && row.kind === 'post' && !access.opportunityDeleted,
    canDelete: !isDeleted && (viewer.isAdmin || (isAuthor && !access.opportunityDeleted)),
  }
}

export async function readFeed(
  db: Db,
  viewer: Viewer,
  opportunityId: string,
  query: { cursor?: string | undefined; limit: number },
) {
  const after = query.cursor ? decodeFeedCursor(query.cursor) : undefined
  const page = await readFeedPage(db, viewer, opportunityId, query.limit + 1, after)
  if (!page) throw notFound(OPPORTUNITY)
  const { access } = page
  assertModuleEnabled(access)
  const rows = page.posts.slice(0, query.limit)
  const replies = await readReplies(
    db,
    rows.map((row) => row.id),
  )
  const byParent = new Map<string, FeedPost['replies']>()
  for (const reply of replies) {
    const list = byParent.get(reply.parent_id ?? '') ?? []
    list.push({ ...toEntry(reply, access, viewer), parentId: reply.parent_id ?? '' })
    byParent.set(reply.parent_id ?? '', list)
  }
  const posts: FeedPost[] = rows.map((row) => ({
    ...toEntry(row, access, viewer),
    activityAt: row.activity_at.toISOString(),
    replies: byParent.get(row.id) ?? [],
  }))
  const last = rows.at(-1)
  return {
    posts,
    nextCursor:
      page.posts.length > query.limit && last
        ? encodeFeedCursor({ activityAt: last.activity_at, id: last.id })
        : null,
    canPost: mayPost(access, viewer),
    readOnly: access.opportunityDeleted,
    whoMayPost: access.whoMayPost,
  }
}

export async function createEntry(
  deps: AppDeps,
  viewer: Viewer,
  opportunityId: string,
  input: { body: string; parentId?: string | undefined },
): Promise<FeedEntry> {
  const at = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    const access = await readFeedAccess(trx, viewer, opportunityId)
    if (!access) throw notFound(OPPORTUNITY)
    assertMayPost(access, viewer)
    if (input.parentId) {
      const parent = await findEntry(trx, input.parentId)
      if (!parent || parent.opportunity_id !== opportunityId || parent.deleted_at) {
        throw new AppError('NOT_FOUND', 'The post you are replying to was deleted or does not exist.')
      }
      if (parent.parent_id !== null) {
        throw new AppError('VALIDATION_FAILED', 'Replies cannot be replied to; reply to the post.', {
          parentId: 'Reply to the post, not to a reply.',
        })
      }
    }
    const id = await insertEntry(trx, {
      opportunityId,
      parentId: input.parentId ?? null,
      authorId: viewer.userId,
      kind: 'post',
      body: input.body,
      bodyHtml: renderPost(input.body),
      at,
    })
    const row = await findEntry(trx, id)
    if (!row) throw notFound(POST)
    return toEntry(row, access, viewer)
  })
}

export async function editEntry(
  deps: AppDeps,
  viewer: Viewer,
  postId: string,
  body: string,
): Promise<FeedEntry> {
  const at = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    const found = await findEntryForViewer(trx, viewer, postId)
    if (!found || found.entry.deleted_at) throw notFound(POST)
    const { entry, access } = found
    assertModuleEnabled(access)
    if (entry.author_id !== viewer.userId || entry.kind !== 'post') {
      throw new AppError('FORBIDDEN', 'Only the author can edit a post.')
    }
    if (access.opportunityDeleted) assertMayPost(access, viewer)
    await updateEntryBody(trx, postId, { body, bodyHtml: renderPost(body), at })
    const row = await findEntry(trx, postId)
    if (!row) throw notFound(POST)
    return toEntry(row, access, viewer)
  })
}

export async function deleteEntry(deps: AppDeps, viewer: Viewer, postId: string): Promise<void> {
  const at = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    const found = await findEntryForViewer(trx, viewer, postId)
    if (!found || found.entry.deleted_at) throw notFound(POST)
    const { entry, access } = found
    assertModuleEnabled(access)
    if (!toEntry(entry, access, viewer).canDelete) {
      if (access.opportunityDeleted) assertMayPost(access, viewer)
      throw new AppError('FORBIDDEN', 'Only the author or an admin can delete a post.')
    }
    await softDeleteEntry(trx, postId, viewer.userId, at)
  })
}
