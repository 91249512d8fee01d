// The activity feed of an opportunity: posts with one level of replies, Markdown rendered (and sanitised) by
// the server, edits marked, soft deletes; who may post, as a module default and per opportunity.
// Only the opportunity's members and admins reach a feed; to anyone else it does not exist (404).
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'
import { OpportunityIdParams } from './opportunities.api.js'

export const MAX_POST_CHARS = 20_000

export const WhoMayPostSchema = z.enum(['members', 'admins'])
export type WhoMayPost = z.infer<typeof WhoMayPostSchema>

/** An opportunity's own rule: members (and admins), admins only, or null to follow the module default. */
export const DealRuleSchema = z.enum(['members', 'admins'], "Choose 'members', 'admins' or null.").nullable()

/** A rule as it applies to one opportunity: the value in force, and whether the deal set it or it is the default. */
export const RuleInForceSchema = z.object({
  value: WhoMayPostSchema,
  source: z.enum(['deal', 'module']),
  /** The module default: what the deal follows when it has no rule of its own. */
  moduleDefault: WhoMayPostSchema,
})
export type RuleInForce = z.infer<typeof RuleInForceSchema>

/** Who may post in the deal's feed, and who may add people to the deal from the portal. */
export const DealRulesSchema = z.object({
  whoMayPost: RuleInForceSchema,
  whoMayAddMembers: RuleInForceSchema,
})
export type DealRules = z.infer<typeof DealRulesSchema>

const PostIdParams = z.strictObject({ postId: z.uuid('Not a valid post id.') })

/** The Markdown a person typed: not blank, at most MAX_POST_CHARS characters. */
export const PostBodySchema = z
  .string()
  .max(MAX_POST_CHARS, `A post can have at most ${MAX_POST_CHARS.toLocaleString('en')} characters.`)
  .refine((text) => text.trim().length > 0, 'Write something before posting.')

const AuthorSchema = z.object({ id: z.string(), name: z.string() })

export const FeedFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  /** A PNG, JPEG, GIF or WebP image (by its bytes, not its name): it has a preview. */
  isImage: z.boolean(),
  /** Always served as an attachment (Content-Disposition: attachment, X-Content-Type-Options: nosniff). */
  downloadUrl: z.string(),
  previewUrl: z.string().nullable(),
})
export type FeedFile = z.infer<typeof FeedFileSchema>

const FeedEntryFields = {
  id: z.string(),
  /** 'system': written by the module (a change synced from Salesforce), not by a person. */
  kind: z.enum(['post', 'system']),
  author: AuthorSchema.nullable(),
  /** The Markdown as typed (empty once deleted), for editing. */
  body: z.string(),
  /** Server-rendered, sanitised HTML of the safe Markdown subset; empty once deleted. */
  bodyHtml: z.string(),
  createdAt: z.string(),
  /** Set when the author changed the text after posting ("edited"). */
  editedAt: z.string().nullable(),
  /** Set when deleted: the entry stays as a placeholder while it has replies. */
  deletedAt: z.string().nullable(),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
  files: z.array(FeedFileSchema),
}

export const FeedReplySchema = z.object({ ...FeedEntryFields, parentId: z.string() })
export type FeedReply = z.infer<typeof FeedReplySchema>

/** A post or a reply on its own, as written or edited. */
export const FeedEntrySchema = z.object({ ...FeedEntryFields, parentId: z.string().nullable() })
export type FeedEntry = z.infer<typeof FeedEntrySchema>

export const FeedPostSchema = z.object({
  ...FeedEntryFields,
  /** The post's own time or its newest reply's, whichever is later; the feed is ordered by it. */
  activityAt: z.string(),
  replies: z.array(FeedReplySchema),
})
export type FeedPost = z.infer<typeof FeedPostSchema>

export const getFeed = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities/:id/feed',
  access: 'user',
  tag: 'feed',
  summary: "One page of an opportunity's feed, newest activity first (members and admins; 404 for others)",
  params: OpportunityIdParams,
  query: z.strictObject({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  }),
  response: z.object({
    posts: z.array(FeedPostSchema),
    nextCursor: z.string().nullable(),
    /** False when the deal was deleted in Salesforce (read-only) or only admins may post. */
    canPost: z.boolean(),
    /** The deal was deleted in Salesforce: its feed stays readable, nothing can be added. */
    readOnly: z.boolean(),
    /** The posting rule in force (rules.whoMayPost.value). */
    whoMayPost: WhoMayPostSchema,
    /** Both rules of this deal: the value in force and whether it is the deal's own or the module default. */
    rules: DealRulesSchema,
  }),
})

export const createPost = defineEndpoint({
  method: 'POST',
  path: '/api/crm/opportunities/:id/feed',
  access: 'user',
  tag: 'feed',
  summary: 'Post to the feed, or reply to a post (one level); 404 for a deleted or unknown parent',
  params: OpportunityIdParams,
  body: z.strictObject({
    /** Markdown; `@{<user id>}` mentions someone who can see the opportunity (see listMentionable). */
    body: PostBodySchema,
    parentId: z.uuid('Not a valid post id.').optional(),
    /** Files uploaded with uploadFeedFile for this opportunity and not yet posted. */
    fileIds: z.array(z.uuid('Not a valid file id.')).max(10, 'Attach at most 10 files.').optional(),
  }),
  response: z.object({ post: FeedEntrySchema }),
  successStatus: 201,
})

export const editPost = defineEndpoint({
  method: 'PATCH',
  path: '/api/crm/feed/posts/:postId',
  access: 'user',
  tag: 'feed',
  summary: 'Change the text of your own post or reply (marked edited)',
  params: PostIdParams,
  body: z.strictObject({ body: PostBodySchema }),
  response: z.object({ post: FeedEntrySchema }),
})

export const deletePost = defineEndpoint({
  method: 'DELETE',
  path: '/api/crm/feed/posts/:postId',
  access: 'user',
  tag: 'feed',
  summary: 'Delete your own post or reply; admins delete any',
  params: PostIdParams,
  successStatus: 204,
})

export const markFeedRead = defineEndpoint({
  method: 'POST',
  path: '/api/crm/opportunities/:id/feed/read',
  access: 'user',
  tag: 'feed',
  summary:
    "The signed-in user has seen this feed now: clears the lists' unread marker (404 unless they may see the deal)",
  params: OpportunityIdParams,
  successStatus: 204,
})

export const listMentionable = defineEndpoint({
  method: 'GET',
  path: '/api/crm/opportunities/:id/mentionable',
  access: 'user',
  tag: 'feed',
  summary: 'Type-ahead over the active people who can see the opportunity (members, admins), 20 at most',
  params: OpportunityIdParams,
  query: z.strictObject({ search: z.string().trim().max(200).optional() }),
  response: z.object({ users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })) }),
})

export const getFeedLimits = defineEndpoint({
  method: 'GET',
  path: '/api/crm/feed/limits',
  access: 'user',
  tag: 'feed',
  summary: 'The largest file a post may carry (FEED_MAX_FILE_MB) and the longest post, shown before upload',
  response: z.object({ maxFileBytes: z.number(), maxPostChars: z.number() }),
})

export const uploadFeedFile = defineEndpoint({
  method: 'POST',
  path: '/api/crm/opportunities/:id/feed/files',
  access: 'user',
  tag: 'feed',
  summary:
    'Upload a file (body: the bytes, Content-Type: application/octet-stream) to attach to a post; 413 over the limit',
  params: OpportunityIdParams,
  query: z.strictObject({
    name: z.string().trim().min(1, 'Name the file.').max(255),
    type: z.string().max(200).optional(),
  }),
  response: z.object({ file: FeedFileSchema }),
  successStatus: 201,
})

export const downloadFeedFile = defineEndpoint({
  method: 'GET',
  path: '/api/crm/feed/files/:fileId',
  access: 'user',
  tag: 'feed',
  summary: 'The file, always as an attachment with nosniff',
  params: z.strictObject({ fileId: z.uuid('Not a valid file id.') }),
})

export const previewFeedFile = defineEndpoint({
  method: 'GET',
  path: '/api/crm/feed/files/:fileId/preview',
  access: 'user',
  tag: 'feed',
  summary: 'An image file shown inline (PNG, JPEG, GIF, WebP only; sandboxed); 404 for other files',
  params: z.strictObject({ fileId: z.uuid('Not a valid file id.') }),
})

/**
 * whoMayPost: who writes in feeds unless an opportunity says otherwise. whoMayAddMembers: whether the people on
 * a deal may add colleagues to it from the portal (POST /api/crm/opportunities/:id/members), or only admins.
 */
/** Fields the change timeline can track (server/crm/feed/timeline.ts labels them; won/lost/deleted always have entries). */
export const trackableFields = [
  'StageName',
  'Amount',
  'CloseDate',
  'Probability',
  'NextStep',
  'ForecastCategoryName',
  'Name',
  'Type',
  'LeadSource',
  'OwnerId',
] as const

export const FeedSettingsSchema = z.object({
  whoMayPost: WhoMayPostSchema,
  whoMayAddMembers: WhoMayPostSchema,
  /** Which fields a sync's changes write to the feed as system entries. */
  trackedFields: z.array(z.enum(trackableFields)),
})
export type FeedSettings = z.infer<typeof FeedSettingsSchema>

export const getFeedSettings = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/feed-settings',
  access: 'admin',
  tag: 'feed',
  summary: 'Who may post in feeds (unless an opportunity says otherwise) and who may add members to a deal',
  response: z.object({ settings: FeedSettingsSchema }),
})

export const updateFeedSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/feed-settings',
  access: 'admin',
  tag: 'feed',
  summary: 'Set who may post by default and who may add members: members (and admins) or admins only',
  body: z.strictObject({
    whoMayPost: WhoMayPostSchema.optional(),
    whoMayAddMembers: WhoMayPostSchema.optional(),
    trackedFields: z.array(z.enum(trackableFields)).max(trackableFields.length).optional(),
  }),
  response: z.object({ settings: FeedSettingsSchema }),
})

export const updateOpportunityFeedSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/opportunities/:id/feed-settings',
  access: 'admin',
  tag: 'feed',
  summary:
    "Set this opportunity's own rules (who may post, who may add members); null follows the module default, " +
    'a rule left out stays as it is; 410 for a deal deleted in Salesforce',
  params: OpportunityIdParams,
  body: z
    .strictObject({ whoMayPost: DealRuleSchema.optional(), whoMayAddMembers: DealRuleSchema.optional() })
    .refine((body) => body.whoMayPost !== undefined || body.whoMayAddMembers !== undefined, {
      message: 'Set whoMayPost, whoMayAddMembers or both.',
      path: ['whoMayPost'],
    }),
  response: z.object({ rules: DealRulesSchema }),
})
