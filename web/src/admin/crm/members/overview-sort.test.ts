import { describe, expect, it } from 'vitest'

import { assignmentLabel, overviewSortFor, overviewSortOptions, removalNote } from './overview-sort.js'

describe('members overview sort', () => {
  it('offers one pipeline sort per currency and never one across currencies', () => {
    const pipeline = overviewSortOptions(['EUR', 'USD']).filter((option) => option.sort.sort === 'pipeline')
    expect(pipeline.map((option) => [option.label, option.sort.currency])).toEqual([
      ['Largest open pipeline in EUR', 'EUR'],
      ['Largest open pipeline in USD', 'USD'],
    ])
    expect(overviewSortOptions([]).some((option) => option.sort.sort === 'pipeline')).toBe(false)
  })

  it('falls back to names when the chosen currency is gone', () => {
    expect(overviewSortFor('pipeline-desc-EUR', ['EUR']).sort).toEqual({
      sort: 'pipeline',
      direction: 'desc',
      currency: 'EUR',
    })
    expect(overviewSortFor('pipeline-desc-EUR', ['USD']).sort).toEqual({ sort: 'name', direction: 'asc' })
  })
})

describe('assignment sentences', () => {
  const manual = { isManual: true, viaOwnerRule: false, viaTeamRule: false }
  const owner = { isManual: false, viaOwnerRule: true, viaTeamRule: false }
  const both = { isManual: true, viaOwnerRule: false, viaTeamRule: true }

  it('says how the user got the deal', () => {
    expect(assignmentLabel(manual)).toBe('Added by an admin')
    expect(assignmentLabel(owner)).toBe('Automatic (Salesforce owner)')
    expect(assignmentLabel(both)).toBe('Added by an admin; also automatic (opportunity team member)')
  })

  it('explains why an automatic one cannot be removed and what Remove leaves', () => {
    expect(removalNote(manual)).toBeNull()
    expect(removalNote(owner)).toMatch(/cannot be removed here/)
    expect(removalNote(both)).toMatch(/manual assignment only/)
  })
})
