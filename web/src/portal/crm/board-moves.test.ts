// The board's messages for a move Salesforce did not take, from the API's own error shapes.
import { describe, expect, it } from 'vitest'

import { ApiError } from '../../api/client.js'
import { notMovedMessage } from './board-moves.js'

describe('notMovedMessage', () => {
  it('names who changed the deal in Salesforce and its stage there now', () => {
    const conflict = new ApiError(409, 'EDIT_CONFLICT', 'changed', undefined, {
      fields: [{ field: 'StageName', ours: 'Closed Won', theirs: 'Qualification' }],
      lastModifiedDate: '2026-12-01T10:00:00.000Z',
      lastModifiedByName: 'Cara Colleague',
    })
    expect(notMovedMessage('Globex', 'Closed Won', conflict)).toBe(
      "Globex was not moved to Closed Won. Cara Colleague changed it in Salesforce after this page loaded. Its stage there is now Qualification. The board shows Salesforce's version; move it again to apply yours.",
    )
  })

  it("gives a validation rule's own message", () => {
    const rejected = new ApiError(422, 'CRM_REJECTED', 'Add a next step first', {
      'values.StageName': 'Add a next step first',
    })
    expect(notMovedMessage('Globex', 'Closed Won', rejected)).toBe(
      'Globex was not moved to Closed Won. Salesforce refused it: Add a next step first',
    )
  })

  it('passes on any other answer', () => {
    const down = new ApiError(
      503,
      'CRM_UNAVAILABLE',
      'Your change was not saved. Try again in a few minutes.',
    )
    expect(notMovedMessage('Globex', 'Closed Won', down)).toBe(
      'Globex was not moved to Closed Won. Your change was not saved. Try again in a few minutes.',
    )
  })
})
