import { describe, expect, it } from 'vitest'

import { eventParts } from './event-parts.js'

describe('Sync Log event parts', () => {
  const since = '2026-12-02T16:55:00.000Z'

  it('turns the moments an event lists into data, the rest stays text', () => {
    expect(
      eventParts(`Fetching 3 opportunities changed since ${since} (REST).`, { since, dates: [since] }),
    ).toEqual([
      { text: 'Fetching 3 opportunities changed since ' },
      { dateTime: since },
      { text: ' (REST).' },
    ])
  })

  it('reads rows written before `dates` by their `since`, and leaves other messages whole', () => {
    expect(eventParts(`Resuming from ${since} on.`, { total: 3, since })).toEqual([
      { text: 'Resuming from ' },
      { dateTime: since },
      { text: ' on.' },
    ])
    expect(eventParts('Fetching all 3 opportunities (REST).', { since: null, dates: [] })).toEqual([
      { text: 'Fetching all 3 opportunities (REST).' },
    ])
    // A listed moment the text does not contain changes nothing.
    expect(eventParts('Synced 3 opportunities.', { dates: [since] })).toEqual([
      { text: 'Synced 3 opportunities.' },
    ])
  })
})
