import { describe, expect, it } from 'vitest'

import { checkAssignments, parseAssignmentCsv, type AssignmentLookups } from './assignment-csv.js'

const ID_A = '006000000000001AAA'
const ID_B = '006000000000002AAA'
const lookups: AssignmentLookups = {
  userIdByEmail: (email) => ({ 'ann@example.com': 'u-ann', 'bob@example.com': 'u-bob' })[email.toLowerCase()],
  opportunityId: (id) => [ID_A, ID_B].find((stored) => stored === id || stored.slice(0, 15) === id),
}

describe('CSV import of assignments', () => {
  it('reads a header in any spelling, a byte-order mark, quoted fields and CRLF', () => {
    const text = `\uFEFF"Opportunity Id","User Email"\r\n"${ID_A}","Ann@Example.com"\r\n${ID_B},bob@example.com\r\n`
    expect(parseAssignmentCsv(text)).toEqual({
      lines: [
        { line: 2, email: 'Ann@Example.com', opportunityId: ID_A },
        { line: 3, email: 'bob@example.com', opportunityId: ID_B },
      ],
      errors: [],
    })
    expect(checkAssignments(text, lookups)).toEqual({
      assignments: [
        { line: 2, userId: 'u-ann', opportunityId: ID_A },
        { line: 3, userId: 'u-bob', opportunityId: ID_B },
      ],
      errors: [],
    })
  })

  it('accepts a 15-character Id and stores the 18-character one', () => {
    const text = `email,opportunity_id\nann@example.com,${ID_A.slice(0, 15)}\n`
    expect(checkAssignments(text, lookups).assignments).toEqual([
      { line: 2, userId: 'u-ann', opportunityId: ID_A },
    ])
  })

  it('names every bad line with what is wrong, and then imports nothing', () => {
    const text = [
      'email,opportunity_id',
      `ann@example.com,${ID_A}`,
      `not-an-email,${ID_A}`,
      'ann@example.com,001000000000001AAA',
      `nobody@example.com,${ID_B}`,
      'bob@example.com,006000000000009AAA',
      `ANN@example.com,${ID_A}`,
      ',',
    ].join('\n')
    expect(checkAssignments(text, lookups)).toEqual({
      assignments: [],
      errors: [
        { line: 3, message: '"not-an-email" is not an email address' },
        { line: 4, message: '"001000000000001AAA" is not an Opportunity Id' },
        { line: 5, message: 'no active user has the email nobody@example.com' },
        { line: 6, message: 'no opportunity 006000000000009AAA in the synced org' },
        { line: 7, message: 'the same assignment as line 2' },
        { line: 8, message: 'email is empty; opportunity_id is empty' },
      ],
    })
  })

  it('refuses a file without the two columns, an empty one and one that is not CSV', () => {
    expect(checkAssignments('name,id\nx,y\n', lookups).errors).toEqual([
      { line: 1, message: 'The first line must name the columns: email,opportunity_id' },
    ])
    expect(checkAssignments('email,opportunity_id\n', lookups).errors).toEqual([
      { line: 2, message: 'The file has no rows' },
    ])
    const broken = checkAssignments('email,opportunity_id\n"ann@example.com,x\n', lookups)
    expect(broken.assignments).toEqual([])
    expect(broken.errors[0]?.message).toMatch(/^Not readable as CSV/)
  })
})
