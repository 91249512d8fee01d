import { describe, expect, it } from 'vitest'

import { bulkResultSentence, confirmQuestion, offersAllMatching } from './bulk-selection.js'

describe('select all matching', () => {
  it('is offered only when the whole page is selected and more rows match', () => {
    expect(offersAllMatching(['a', 'b'], ['a', 'b'], 120)).toBe(true)
    expect(offersAllMatching(['a', 'b'], ['a'], 120)).toBe(false)
    expect(offersAllMatching(['a', 'b'], ['a', 'b'], 2)).toBe(false)
    expect(offersAllMatching(['a', 'b'], ['a', 'b'], undefined)).toBe(false)
    expect(offersAllMatching([], [], 5)).toBe(false)
  })

  it('asks with the count, in the reader’s number format', () => {
    expect(confirmQuestion('add', 'Nora', 1234, 'en-US')).toBe(
      'Add Nora to all 1,234 opportunities matching this filter?',
    )
    expect(confirmQuestion('remove', 'Nora', 1, 'de-DE')).toBe(
      'Remove Nora from all 1 opportunity matching this filter?',
    )
    expect(confirmQuestion('add', 'Nora', 1234, 'de-DE')).toContain('1.234')
  })

  it('reports what changed', () => {
    expect(bulkResultSentence('add', 'Nora', { changed: 3, unchanged: 2 })).toBe(
      'Added Nora on 3 opportunities; 2 already had them.',
    )
    expect(bulkResultSentence('remove', 'Nora', { changed: 1, unchanged: 0, notFound: ['x'] })).toBe(
      'Removed Nora on 1 opportunity; 1 no longer exist.',
    )
  })
})
