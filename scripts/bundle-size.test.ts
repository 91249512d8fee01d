// The first page's JavaScript stays within its budget (issue 17 item 10). CI runs this with the suite.
import { describe, expect, test } from 'vitest'

import { buildIfStale } from '../e2e/support/web-server.js'
import { budgetBytes, measureBundle } from './bundle-size.js'

describe('web bundle size', () => {
  test('the first page loads at most 200 KB of gzip JavaScript; charts load later', () => {
    buildIfStale()
    const size = measureBundle()
    expect(size.firstPage.length).toBeGreaterThan(0)
    expect(size.totalGzipBytes).toBeLessThanOrEqual(budgetBytes)
    // The charting library is its own lazy chunk, never part of the first page.
    expect(size.firstPage.some((chunk) => /Chart/i.test(chunk.file))).toBe(false)
  })
})
