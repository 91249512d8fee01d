// The bell: what happened on the signed-in user's opportunities (mentions, replies, new posts, tracked
// changes, being added), unread count, marking read, and the user's choice per kind.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

/**
 * Unread counts stop at this number: 100 means "100 or more", shown as 99+. Counting every unread
 * notification of someone who never reads them would make the bell, read on every page, slower the longer
 * they ignore it.
 */
export const UNREAD_COUNT_CAP = 100

export const notificationKinds = ['mentioned', 'reply', 'new_post', 'tracked_change', 'added'] as const
export const NotificationKindSchema = z.enum(notificationKinds)

export const NotificationSchema = z.object({
  id: z.string(),
  kind: NotificationKindSchema,
  opportunity: z.object({ id: z.string(), name: z.string().nullable() }),
  /** The post or reply it is about, if any: its id and the start of its text. */
  post: z.object({ id: z.string(), excerpt: z.string() }).nullable(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  /**
   * For a tracked change: the Salesforce field of the entry it is about (StageName, CloseDate, or Outcome and
   * IsDeleted for won/lost/reopened and deleted/restored), its label, and the new value, so the bell can say
   * what changed. Null for other kinds.
   */
  change: z.object({ field: z.string(), label: z.string(), to: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
})
export type Notification = z.infer<typeof NotificationSchema>

export const listNotifications = defineEndpoint({
  method: 'GET',
  path: '/api/notifications',
  access: 'user',
  tag: 'notifications',
  summary:
    'The newest notifications (50 at most) and the unread count; only about opportunities still visible',
  /** unreadCount stops at UNREAD_COUNT_CAP. */
  response: z.object({ unreadCount: z.number(), notifications: z.array(NotificationSchema) }),
})

export const getUnreadCount = defineEndpoint({
  method: 'GET',
  path: '/api/notifications/unread-count',
  access: 'user',
  tag: 'notifications',
  summary: "The bell's number (it stops at 100, meaning 100 or more)",
  response: z.object({ unreadCount: z.number() }),
})

export const markNotificationsRead = defineEndpoint({
  method: 'POST',
  path: '/api/notifications/read',
  access: 'user',
  tag: 'notifications',
  summary: 'Mark the listed notifications read, or all of them',
  body: z.union([
    z.strictObject({ ids: z.array(z.uuid('Not a valid notification id.')).min(1).max(200) }),
    z.strictObject({ all: z.literal(true) }),
  ]),
  response: z.object({ unreadCount: z.number() }),
})

export const PreferenceSchema = z.object({
  kind: NotificationKindSchema,
  channel: z.enum(['in_app', 'email', 'off']),
  timing: z.enum(['immediate', 'digest']),
})
export type NotificationPreference = z.infer<typeof PreferenceSchema>

export const getNotificationPreferences = defineEndpoint({
  method: 'GET',
  path: '/api/notifications/preferences',
  access: 'user',
  tag: 'notifications',
  summary: 'Your choice per kind (default: in app, immediate); emailAvailable is false without SMTP_URL',
  response: z.object({ emailAvailable: z.boolean(), preferences: z.array(PreferenceSchema) }),
})

export const updateNotificationPreferences = defineEndpoint({
  method: 'PUT',
  path: '/api/notifications/preferences',
  access: 'user',
  tag: 'notifications',
  summary: 'Change your choice for some kinds',
  body: z.strictObject({ preferences: z.array(PreferenceSchema).min(1).max(notificationKinds.length) }),
  response: z.object({ emailAvailable: z.boolean(), preferences: z.array(PreferenceSchema) }),
})
