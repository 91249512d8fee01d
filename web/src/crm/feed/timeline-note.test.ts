import { describe, expect, it } from 'vitest'

import { timelineNote } from './timeline-note.js'

describe("the feed's note on the change timeline", () => {
  it('says what the timeline can show only when the deal is read live', () => {
    expect(timelineNote('cache')).toBeNull()
    expect(timelineNote('live')).toMatch(/only owner changes, deletions and restores, with when but not who/)
  })
})
