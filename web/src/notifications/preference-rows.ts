// What Notification settings shows: one row per kind in a fixed order, with the person's saved choice or the
// default (in app, immediately), and the choice a row offers once email is off on this server.
import { notificationKinds, type NotificationPreference } from '../../../contracts/api/notifications.api.js'

type Kind = NotificationPreference['kind']

export const kindLabels: Record<Kind, string> = {
  mentioned: 'Someone mentions me',
  reply: 'A reply to my post',
  new_post: 'A new post on my opportunity',
  tracked_change: 'A tracked change on my opportunity (stage, close date, won or lost)',
  added: 'I am added to an opportunity',
}

/** Every kind once, in the contract's order; a kind the server has no row for shows the default. */
export function preferenceRows(saved: readonly NotificationPreference[]): NotificationPreference[] {
  const byKind = new Map(saved.map((p) => [p.kind, p]))
  return notificationKinds.map((kind) => byKind.get(kind) ?? { kind, channel: 'in_app', timing: 'immediate' })
}

/**
 * Without a mail server nothing can be emailed: a kind saved as email reads (and saves) as in app, and the
 * timing only matters for email.
 */
export function shownPreference(
  preference: NotificationPreference,
  emailAvailable: boolean,
): NotificationPreference {
  if (preference.channel === 'email' && !emailAvailable) return { ...preference, channel: 'in_app' }
  return preference
}
