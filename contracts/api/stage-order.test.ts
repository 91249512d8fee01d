import { describe, expect, it } from 'vitest'

import { compareStages, sortByStage } from './stage-order.js'

describe('stage order', () => {
  const stage = (name: string | null, sortOrder: number | null) => ({ name, sortOrder })

  it('orders by SortOrder, then stages the org does not list alphabetically, then no stage', () => {
    const stages = [
      stage(null, null),
      stage('Zeta (renamed)', null),
      stage('Closed Won', 10),
      stage('Qualification', 1),
      stage('Alpha (removed)', null),
      stage('Prospecting', 2),
    ]
    expect(
      sortByStage(
        stages,
        (s) => s.name,
        (s) => s.sortOrder,
      ).map((s) => s.name),
    ).toEqual(['Qualification', 'Prospecting', 'Closed Won', 'Alpha (removed)', 'Zeta (renamed)', null])
  })

  it('is a consistent comparator: equal stages compare 0, and sorting leaves its input alone', () => {
    expect(compareStages(stage('A', 3), stage('A', 3))).toBe(0)
    expect(compareStages(stage(null, null), stage(null, null))).toBe(0)
    expect(compareStages(stage('B', 1), stage('A', 2))).toBeLessThan(0)
    expect(compareStages(stage('B', 2), stage('A', 2))).toBeGreaterThan(0)
    const input = [stage('B', 2), stage('A', 1)]
    sortByStage(
      input,
      (s) => s.name,
      (s) => s.sortOrder,
    )
    expect(input.map((s) => s.name)).toEqual(['B', 'A'])
  })
})
