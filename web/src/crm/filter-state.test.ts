import { describe, expect, test } from 'vitest'

import { emptyFilters, filtersFromParams, filtersToParams, type FilterState } from './filter-state.js'

const myDefaults: FilterState = { ...emptyFilters, status: 'open' }

describe('opportunity filters in the URL', () => {
  test('the defaults write nothing, and an empty URL reads as the defaults', () => {
    expect(filtersToParams(myDefaults, myDefaults).toString()).toBe('')
    expect(filtersFromParams(new URLSearchParams(''), myDefaults)).toEqual(myDefaults)
  })

  test('every choice survives a round trip through the URL', () => {
    const state: FilterState = {
      search: 'acme & sons',
      stage: 'Closed Won',
      status: 'won',
      closeDateFrom: '2026-01-01',
      closeDateTo: '2026-12-31',
      owner: '005000000000001',
      members: 'without',
      activityDays: '7',
      sort: 'amount',
      direction: 'desc',
    }
    const params = filtersToParams(state, emptyFilters, { view: 'board' })
    expect(params.get('activity')).toBe('7')
    expect(params.get('q')).toBe('acme & sons')
    expect(params.get('sort')).toBe('amount:desc')
    expect(params.get('view')).toBe('board')
    expect(filtersFromParams(new URLSearchParams(params.toString()), emptyFilters)).toEqual(state)
  })

  test('the sort by last activity and the activity window read back; an unknown window is ignored', () => {
    const params = new URLSearchParams('sort=lastActivity:desc&activity=5')
    const state = filtersFromParams(params, emptyFilters)
    expect(state).toMatchObject({ sort: 'lastActivity', direction: 'desc', activityDays: '' })
  })

  test('clearing a filter whose default is set is written as "any", so a reload keeps it cleared', () => {
    const all = { ...myDefaults, status: '' as const }
    const params = filtersToParams(all, myDefaults)
    expect(params.toString()).toBe('status=any')
    expect(filtersFromParams(params, myDefaults).status).toBe('')
  })

  test('malformed values fall back to the defaults instead of breaking the page', () => {
    const params = new URLSearchParams(
      'status=maybe&members=some&sort=owner:sideways&from=yesterday&to=2026-02-30x',
    )
    const state = filtersFromParams(params, myDefaults)
    expect(state.status).toBe('open')
    expect(state.members).toBe('')
    expect(state.sort).toBe('closeDate')
    expect(state.direction).toBe('asc')
    expect(state.closeDateFrom).toBe('')
    expect(state.closeDateTo).toBe('')
  })
})
