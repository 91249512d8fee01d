import { describe, expect, it } from 'vitest'

import { ASSIGNMENT_FILE_LIMITS, describeCounts, fileProblem } from './assignment-file.js'

describe('assignment file checks', () => {
  it('refuses an empty file and one above the limit, and takes one at the limit', () => {
    expect(fileProblem({ name: 'a.csv', size: 0 })).toBe('a.csv is empty.')
    expect(fileProblem({ name: 'a.csv', size: ASSIGNMENT_FILE_LIMITS.bytes })).toBeNull()
    expect(fileProblem({ name: 'a.csv', size: ASSIGNMENT_FILE_LIMITS.bytes + 1 })).toBe(
      'a.csv is larger than 2 MB. Split it into smaller files.',
    )
  })

  it('says what a dry run would do, what an import did, and that a bad file wrote nothing', () => {
    expect(describeCounts({ rows: 3, added: 2, unchanged: 1, errors: [] }, true)).toBe(
      '3 rows: 2 assignments to add, 1 already assigned.',
    )
    expect(describeCounts({ rows: 1, added: 1, unchanged: 0, errors: [] }, false)).toBe(
      '1 row: 1 assignment added, 0 already assigned.',
    )
    expect(
      describeCounts({ rows: 2, added: 0, unchanged: 0, errors: [{ line: 3, message: 'x' }] }, true),
    ).toBe('1 line of 2 rows has a problem. Nothing was written.')
  })
})
