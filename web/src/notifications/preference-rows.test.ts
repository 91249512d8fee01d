import { describe, expect, it } from 'vitest'

import { preferenceRows, shownPreference } from './preference-rows.js'

describe('notification settings rows', () => {
  it('lists every kind once, in order, with the saved choice or the default', () => {
    const rows = preferenceRows([{ kind: 'reply', channel: 'email', timing: 'digest' }])
    expect(rows.map((r) => r.kind)).toEqual(['mentioned', 'reply', 'new_post', 'tracked_change', 'added'])
    expect(rows[1]).toEqual({ kind: 'reply', channel: 'email', timing: 'digest' })
    expect(rows[0]).toEqual({ kind: 'mentioned', channel: 'in_app', timing: 'immediate' })
  })

  it('shows email as in app while the server has no mail server, and keeps off as off', () => {
    const email = { kind: 'reply', channel: 'email', timing: 'digest' } as const
    expect(shownPreference(email, false).channel).toBe('in_app')
    expect(shownPreference(email, true).channel).toBe('email')
    expect(shownPreference({ ...email, channel: 'off' }, false).channel).toBe('off')
  })
})
