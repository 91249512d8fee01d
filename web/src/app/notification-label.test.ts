import { describe, expect, it } from 'vitest'

import type { Notification } from '../../../contracts/api/notifications.api.js'
import { notificationLabel } from './notification-label.js'

const base: Notification = {
  id: 'n1',
  kind: 'tracked_change',
  opportunity: { id: '006A', name: 'Globex Expansion' },
  post: { id: 'p1', excerpt: 'Stage: Qualification → Proposal' },
  actor: null,
  change: { field: 'StageName', label: 'Stage', to: 'Proposal' },
  createdAt: '2026-12-02T17:00:00.000Z',
  readAt: null,
}

describe("the bell's line", () => {
  it('names the field a synced change moved', () => {
    expect(notificationLabel(base)).toBe('Salesforce changed Stage on Globex Expansion')
    expect(
      notificationLabel({ ...base, change: { field: 'CloseDate', label: 'Close date', to: '2027-02-01' } }),
    ).toBe('Salesforce changed Close date on Globex Expansion')
  })

  it('says won, lost, reopened, deleted and restored in words', () => {
    const said = (field: string, to: string) =>
      notificationLabel({ ...base, change: { field, label: field, to } })
    expect(said('Outcome', 'won')).toBe('Globex Expansion was won in Salesforce')
    expect(said('Outcome', 'lost')).toBe('Globex Expansion was lost in Salesforce')
    expect(said('Outcome', 'open')).toBe('Globex Expansion was reopened in Salesforce')
    expect(said('IsDeleted', 'true')).toBe('Globex Expansion was deleted in Salesforce')
    expect(said('IsDeleted', 'false')).toBe('Globex Expansion was restored in Salesforce')
  })

  it('keeps the other kinds as they were, and a deal without a name readable', () => {
    const mia = { id: 'u1', name: 'Mia Member' }
    expect(notificationLabel({ ...base, kind: 'added', actor: mia, change: null })).toBe(
      'Mia Member added you on Globex Expansion',
    )
    expect(notificationLabel({ ...base, change: null, opportunity: { id: '006A', name: null } })).toBe(
      'Salesforce changed on an opportunity',
    )
  })
})
