// The signed-in user's live event stream (Server-Sent Events, https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Each event says what changed, never the content: the browser fetches it again through the API, which
// decides what the user may read. Events about an opportunity reach only people who can see it at the
// moment the event is sent. `id:` lines carry the event's number; a reconnecting browser sends it back as
// Last-Event-ID and gets what it missed, replayed from the database.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const LiveEventSchema = z.discriminatedUnion('type', [
  /** The stream is open; nothing was missed before this point. */
  z.object({ type: z.literal('ready') }),
  /** A post or reply on an opportunity the user can see was written, edited or deleted. */
  z.object({ type: z.literal('feed'), opportunityId: z.string(), postId: z.string() }),
  /** The user's bell changed; unreadCount stops at UNREAD_COUNT_CAP (notifications.api.ts). */
  z.object({ type: z.literal('notifications'), unreadCount: z.number() }),
  /** The user was added to or removed from opportunities: their lists changed. */
  z.object({ type: z.literal('membership') }),
  /** A synced change to an opportunity the user can see. */
  z.object({ type: z.literal('opportunity'), opportunityId: z.string() }),
  /** Too much was missed to replay (or it is older than a day): fetch everything again. */
  z.object({ type: z.literal('reset') }),
])
export type LiveEvent = z.infer<typeof LiveEventSchema>

export const LIVE_PATH = '/api/live'

export const liveEvents = defineEndpoint({
  method: 'GET',
  path: LIVE_PATH,
  access: 'user',
  tag: 'live',
  summary:
    'Server-Sent Events (text/event-stream) for the signed-in user: feed posts, bell counts, membership and opportunity changes; Last-Event-ID replays what was missed',
})
