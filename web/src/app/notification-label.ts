// What one line of the bell says: who did what on which deal. A tracked change names what changed (the
// field, or won/lost/reopened, deleted/restored), so the reader knows whether to open it before opening it.
import type { Notification } from '../../../contracts/api/notifications.api.js'

const what: Record<Notification['kind'], string> = {
  mentioned: 'mentioned you',
  reply: 'replied to your post',
  new_post: 'posted',
  tracked_change: 'changed',
  added: 'added you',
}

// Salesforce's own values for the two changes that are not a field moving (server/crm/feed/timeline.ts).
const outcome: Record<string, string> = { won: 'won', lost: 'lost', open: 'reopened' }

export function notificationLabel(n: Notification): string {
  const deal = n.opportunity.name ?? 'an opportunity'
  const change = n.kind === 'tracked_change' ? n.change : null
  if (change?.field === 'Outcome') return `${deal} was ${outcome[change.to ?? ''] ?? 'changed'} in Salesforce`
  if (change?.field === 'IsDeleted')
    return `${deal} was ${change.to === 'true' ? 'deleted' : 'restored'} in Salesforce`
  if (change) return `Salesforce changed ${change.label} on ${deal}`
  return `${n.actor?.name ?? 'Salesforce'} ${what[n.kind]} on ${deal}`
}
