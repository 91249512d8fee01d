// The feed's operations: read a page (one keyset statement with the posts, their replies and the files of
// both), post or reply (mentions checked against who can see the deal, files attached), edit (the author;
// mentions re-checked) and delete (the author, admins).
import type { FeedEntry, FeedPost } from '../../../contracts/api/feed.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { assertModuleEnabled } from '../opportunities/crm-portal.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.js'
import { toFeedFile } from './feed-files.js'
import { attachFiles } from './feed-files.repository.js'
import { assertMayPost, mayPost, toEntry } from './feed-rules.js'
import {
  findEntry,
  findEntryForViewer,
  insertEntry,
  readFeedAccess,
  readFeedPage,
  softDeleteEntry,
  updateEntryBody,
  type FeedAccess,
} from './feed.repository.js'
import { mentionedUserIds, renderPost } from './markdown.js'
import { findMentionable, insertMentions, writeMentions } from './mentions.repository.js'
import { queueEmails } from '../mail/mail-queue.js'
import { notifyAboutPost } from './notifications.repository.js'

const OPPORTUNITY = 'This opportunity'
const POST = 'This post'

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
  const posts: FeedPost[] = rows.map((row) => ({
    ...toEntry(row, access, viewer, row.files.map(toFeedFile)),
    activityAt: row.activity_at.toISOString(),
    replies: row.replies.map((reply) => ({
      ...toEntry(reply, access, viewer, reply.files.map(toFeedFile)),
      parentId: row.id,
    })),
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
    whoMayPost: access.rules.whoMayPost.value,
    rules: access.rules,
  }
}

/** The HTML of `body` and whom it mentions; 400 when someone mentioned cannot see the opportunity. */
async function renderWithMentions(db: Db, viewer: Viewer, opportunityId: string, body: string) {
  const ids = mentionedUserIds(body)
  const found = ids.length > 0 ? ((await findMentionable(db, viewer, opportunityId, { ids })) ?? []) : []
  if (found.length < ids.length) {
    throw new AppError('VALIDATION_FAILED', 'Someone you mentioned cannot see this opportunity.', {
      body: 'Mention only people who can see this opportunity.',
    })
  }
  return { html: renderPost(body, new Map(found.map((user) => [user.id, user.name]))), mentioned: ids }
}

export async function createEntry(
  deps: AppDeps,
  viewer: Viewer,
  opportunityId: string,
  input: { body: string; parentId?: string | undefined; fileIds?: string[] | undefined },
): Promise<FeedEntry> {
  const at = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    const access = await readFeedAccess(trx, viewer, opportunityId)
    if (!access) throw notFound(OPPORTUNITY)
    assertMayPost(access, viewer)
    if (input.parentId) await assertRepliable(trx, opportunityId, input.parentId)
    const rendered = await renderWithMentions(trx, viewer, opportunityId, input.body)
    const entry = await insertEntry(trx, {
      opportunityId,
      parentId: input.parentId ?? null,
      authorId: viewer.userId,
      kind: 'post',
      body: input.body,
      bodyHtml: rendered.html,
      at,
    })
    const { id } = entry
    await insertMentions(trx, id, rendered.mentioned)
    const post = { id, opportunityId, authorId: viewer.userId, parentId: input.parentId ?? null }
    const emailOn = deps.config.mail.smtpUrl !== undefined
    await queueEmails(
      deps,
      trx,
      await notifyAboutPost(trx, { ...post, mentioned: rendered.mentioned }, at, emailOn),
    )
    const fileIds = [...new Set(input.fileIds ?? [])]
    if ((await attachFiles(trx, id, opportunityId, viewer.userId, fileIds)) < fileIds.length) {
      throw new AppError('NOT_FOUND', 'A file to attach was not found; upload it again.')
    }
    // Read back only for the files: the inserted row is otherwise the whole answer (one statement fewer).
    return fileIds.length > 0 ? readBack(trx, id, access, viewer) : toEntry(entry, access, viewer)
  })
}

async function assertRepliable(db: Db, opportunityId: string, parentId: string): Promise<void> {
  const parent = await findEntry(db, parentId)
  if (!parent || parent.opportunity_id !== opportunityId || parent.deleted_at) {
    throw new AppError('NOT_FOUND', 'The post you are replying to was deleted or does not exist.')
  }
  if (parent.parent_id !== null) {
    throw new AppError('VALIDATION_FAILED', 'Replies cannot be replied to; reply to the post.', {
      parentId: 'Reply to the post, not to a reply.',
    })
  }
}

async function readBack(db: Db, id: string, access: FeedAccess, viewer: Viewer): Promise<FeedEntry> {
  const row = await findEntry(db, id)
  if (!row) throw notFound(POST)
  return toEntry(row, access, viewer, row.files.map(toFeedFile))
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
    const rendered = await renderWithMentions(trx, viewer, entry.opportunity_id, body)
    await updateEntryBody(trx, postId, { body, bodyHtml: rendered.html, at })
    await writeMentions(trx, postId, rendered.mentioned)
    return readBack(trx, postId, access, viewer)
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
