// Feed routes: read a page, post or reply, edit, delete; admin settings: the module defaults and a deal's own rules.
import * as api from '../../../contracts/api/feed.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import { scopeOf } from '../../cache/read-cache.js'
import type { SessionUser } from '../../../contracts/api/auth.api.js'
import type { AppDeps } from '../../deps.js'
import { notFound } from '../../errors.js'
import type { Route } from '../../http/route.js'
import {
  readDefaultWhoMayPost,
  readTrackedFields,
  readWhoMayAddMembers,
  writeFeedSettings,
} from './feed-settings.repository.js'
import { changeDealRules } from './deal-rules.js'
import { maxFileMessage, sendFile, uploadFile } from './feed-files.js'
import { createEntry, deleteEntry, editEntry, readFeed } from './feed.service.js'
import { markFeedRead } from './feed-reads.repository.js'
import { findMentionable } from './mentions.repository.js'

const viewerOf = (user: SessionUser) => ({ userId: user.id, isAdmin: user.role === 'admin' })

export function registerFeedRoutes(route: Route, deps: AppDeps): void {
  const { db } = deps

  // From memory until its deal's feed, its settings or the reader change (server/cache/response-store.ts).
  route(api.getFeed, async ({ params, query, user }) => readFeed(db, viewerOf(user), params.id, query), {
    cache: { opportunities: (params) => [params.id] },
  })

  // Posts and reads change only what scoped answers show (route.ts `scopedWrite`): for the poster, their
  // deal's feed; an edit or a deletion (whose deal the route does not know), everything the writer reads.
  route(
    api.createPost,
    async ({ params, body, user }) => ({ post: await createEntry(deps, viewerOf(user), params.id, body) }),
    { scopedWrite: (params) => [scopeOf.opportunity(params.id)] },
  )
  const scopedWrite = { scopedWrite: (_: unknown, writerId: string) => [scopeOf.user(writerId)] }

  route(
    api.editPost,
    async ({ params, body, user }) => ({
      post: await editEntry(deps, viewerOf(user), params.postId, body.body),
    }),
    scopedWrite,
  )

  route(
    api.deletePost,
    async ({ params, user }) => {
      await deleteEntry(deps, viewerOf(user), params.postId)
    },
    scopedWrite,
  )

  route(
    api.markFeedRead,
    async ({ params, user }) => {
      const seen = await markFeedRead(db, viewerOf(user), params.id, deps.clock.now())
      if (!seen) throw notFound('This opportunity')
    },
    // Only the lists show reads, and they are unscoped: always flushed.
    { scopedWrite: () => [] },
  )

  route(api.listMentionable, async ({ params, query, user }) => {
    const users = await findMentionable(db, viewerOf(user), params.id, { search: query.search })
    if (!users) throw notFound('This opportunity')
    return { users }
  })

  const { maxFileBytes } = deps.config.feed
  route(api.getFeedLimits, async () => ({ maxFileBytes, maxPostChars: api.MAX_POST_CHARS }))

  route(
    api.uploadFeedFile,
    async ({ params, query, user, request }) => ({
      file: await uploadFile(deps, viewerOf(user), params.id, { ...query, content: request.body as Buffer }),
    }),
    { binaryBody: { maxBytes: maxFileBytes, tooLarge: maxFileMessage(maxFileBytes) } },
  )

  route(api.downloadFeedFile, async ({ params, user, reply }) =>
    sendFile(deps, viewerOf(user), params.fileId, reply, 'download'),
  )

  route(api.previewFeedFile, async ({ params, user, reply }) =>
    sendFile(deps, viewerOf(user), params.fileId, reply, 'preview'),
  )

  const readSettings = async (from = db) => ({
    whoMayPost: await readDefaultWhoMayPost(from),
    whoMayAddMembers: await readWhoMayAddMembers(from),
    trackedFields: await readTrackedFields(from),
  })

  route(api.getFeedSettings, async () => ({ settings: await readSettings() }))

  route(api.updateFeedSettings, async ({ body, user }) => ({
    settings: await db.transaction().execute(async (trx) => {
      await writeFeedSettings(trx, body, user.id, deps.clock.now())
      for (const [action, value] of [
        ['crm.feed.who_may_post', body.whoMayPost],
        ['crm.feed.who_may_add_members', body.whoMayAddMembers],
        ['crm.feed.tracked_fields', body.trackedFields],
      ] as const) {
        if (!value) continue
        await recordAuditEvent(trx, {
          actorUserId: user.id,
          action,
          targetType: 'crm_settings',
          targetId: 'feed',
          details: { value },
        })
      }
      return readSettings(trx)
    }),
  }))

  route(api.updateOpportunityFeedSettings, async ({ params, body, user }) => ({
    rules: await changeDealRules(deps, user.id, params.id, body),
  }))
}
