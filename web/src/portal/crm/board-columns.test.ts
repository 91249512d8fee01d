import { describe, expect, test } from 'vitest'

import { boardColumns } from './board-columns.js'

const column = (stageName: string | null, sortOrder: number | null, isClosed = false) => ({
  stageName,
  sortOrder,
  isClosed,
  forecastCategoryName: 'Pipeline',
  count: 1,
  amounts: [{ currencyIsoCode: 'USD', amount: 100 }],
})
const card = (stageName: string | null) => ({ stageName, isClosed: false, forecastCategoryName: 'Pipeline' })

describe('board columns', () => {
  test('follow the org’s stage order, not arrival order or the alphabet', () => {
    const stages = [
      column('Closed Won', 9, true),
      column('Needs Analysis', 3),
      column('Qualification', 1),
      column('Prospecting', 2),
    ]
    expect(boardColumns(stages, []).map((c) => c.stageName)).toEqual([
      'Qualification',
      'Prospecting',
      'Needs Analysis',
      'Closed Won',
    ])
  })

  test('a card’s stage the summary does not list gets an empty column after the known ones', () => {
    const columns = boardColumns(
      [column('Prospecting', 2), column(null, null)],
      [card('Prospecting'), card('Custom')],
    )
    expect(columns.map((c) => [c.stageName, c.count])).toEqual([
      ['Prospecting', 1],
      ['Custom', 0],
      [null, 1],
    ])
  })
})
