// The bell and notification preferences of the signed-in user.
import * as api from '../../../contracts/api/notifications.api.js'
import type { Notification, NotificationPreference } from '../../../contracts/api/notifications.api.js'
import { scopeOf } from '../../cache/read-cache.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import {
  countUnread,
  markRead,
  readBell,
  readPreferences,
  writePreferences,
  type NotificationRow,
} from './notifications.repository.js'
import { fieldLabel } from './timeline.js'

const BELL_SIZE = 50
const EXCERPT_CHARS = 140
const DEFAULT_PREFERENCE = { channel: 'in_app', timing: 'immediate' } as const

function toNotification(row: NotificationRow): Notification {
  const excerpt = row.post_deleted
    ? ''
    : (row.post_body ?? '').replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS)
  return {
    id: row.id,
    kind: row.kind,
    opportunity: { id: row.opportunity_id, name: row.opportunity_name },
    post: row.post_id ? { id: row.post_id, excerpt } : null,
    actor: row.actor_id && row.actor_name ? { id: row.actor_id, name: row.actor_name } : null,
    change:
      row.kind === 'tracked_change' && row.change_field
        ? { field: row.change_field, label: fieldLabel(row.change_field), to: row.change_to }
        : null,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  }
}

/** Every kind, with the user's own choice or the default. */
function completePreferences(stored: readonly NotificationPreference[]): NotificationPreference[] {
  return api.notificationKinds.map(
    (kind) => stored.find((p) => p.kind === kind) ?? { kind, ...DEFAULT_PREFERENCE },
  )
}

export function registerNotificationRoutes(route: Route, deps: AppDeps): void {
  const { db } = deps
  const emailAvailable = deps.config.mail.smtpUrl !== undefined

  // From memory until the user's notifications change or a deal they show does (a post's excerpt, a name).
  route(
    api.listNotifications,
    async ({ user }) => {
      const bell = await readBell(db, user.id, BELL_SIZE)
      return { unreadCount: bell.unreadCount, notifications: bell.notifications.map(toNotification) }
    },
    { cache: { opportunities: (_, bell) => bell.notifications.map((n) => n.opportunity.id), bell: true } },
  )

  route(api.getUnreadCount, async ({ user }) => ({ unreadCount: await countUnread(db, user.id) }), {
    cache: { opportunities: () => [], bell: true },
  })

  route(
    api.markNotificationsRead,
    async ({ body, user }) => {
      await markRead(db, user.id, 'ids' in body ? body.ids : 'all', deps.clock.now())
      return { unreadCount: await countUnread(db, user.id) }
    },
    { scopedWrite: (_, writerId) => [scopeOf.bell(writerId)] },
  )

  route(api.getNotificationPreferences, async ({ user }) => ({
    emailAvailable,
    preferences: completePreferences(await readPreferences(db, user.id)),
  }))

  route(api.updateNotificationPreferences, async ({ body, user }) => {
    await writePreferences(db, user.id, body.preferences)
    return { emailAvailable, preferences: completePreferences(await readPreferences(db, user.id)) }
  })
}
