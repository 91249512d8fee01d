// The filter state of the opportunity lists (search, filters, sort). It lives in the URL, so they survive a reload and can be
// shared (issue 17 item 3). Only what differs from the page's defaults is written; "any" stands for an
// empty choice where the default is not empty (My Opportunities defaults to open deals).
import type { ListSort } from '../../../contracts/api/opportunities.api.js'

/** The "activity in the last N days" choices, in days. */
export const activityChoices = ['1', '7', '30', '90'] as const

export interface FilterState {
  search: string
  stage: string
  status: '' | 'open' | 'closed' | 'won' | 'lost'
  closeDateFrom: string
  closeDateTo: string
  owner: string
  members: '' | 'with' | 'without'
  /** Admin: only deals with feed activity in the last N days ('' for any). */
  activityDays: '' | (typeof activityChoices)[number]
  sort: ListSort
  direction: 'asc' | 'desc'
}

export const emptyFilters: FilterState = {
  search: '',
  stage: '',
  status: '',
  closeDateFrom: '',
  closeDateTo: '',
  owner: '',
  members: '',
  activityDays: '',
  sort: 'closeDate',
  direction: 'asc',
}

/** The API's filter fields for a filter state; `search` is passed separately (debounced). */
export function toApiFilters(state: FilterState, search: string) {
  return {
    search: search.trim() || undefined,
    stage: state.stage ? [state.stage] : undefined,
    status: state.status || undefined,
    closeDateFrom: state.closeDateFrom || undefined,
    closeDateTo: state.closeDateTo || undefined,
  }
}

const keys = {
  search: 'q',
  stage: 'stage',
  status: 'status',
  closeDateFrom: 'from',
  closeDateTo: 'to',
  owner: 'owner',
  members: 'members',
  activityDays: 'activity',
} as const satisfies Partial<Record<keyof FilterState, string>>

const statuses: FilterState['status'][] = ['', 'open', 'closed', 'won', 'lost']
const memberChoices: FilterState['members'][] = ['', 'with', 'without']
const sorts: ListSort[] = ['closeDate', 'amount', 'name', 'lastModified', 'lastActivity']
const isoDate = /^\d{4}-\d{2}-\d{2}$/
const anyValue = 'any'

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  if (value === null) return fallback
  const chosen = value === anyValue ? '' : value
  return (allowed as readonly string[]).includes(chosen) ? (chosen as T) : fallback
}

function text(value: string | null, fallback: string, pattern?: RegExp): string {
  if (value === null) return fallback
  if (value === anyValue) return ''
  return pattern && !pattern.test(value) ? fallback : value
}

/** The filter state a URL describes; anything missing or malformed falls back to the default. */
export function filtersFromParams(params: URLSearchParams, defaults: FilterState): FilterState {
  const [sort, direction] = (params.get('sort') ?? '').split(':')
  return {
    search: text(params.get(keys.search), defaults.search),
    stage: text(params.get(keys.stage), defaults.stage),
    status: oneOf(params.get(keys.status), statuses, defaults.status),
    closeDateFrom: text(params.get(keys.closeDateFrom), defaults.closeDateFrom, isoDate),
    closeDateTo: text(params.get(keys.closeDateTo), defaults.closeDateTo, isoDate),
    owner: text(params.get(keys.owner), defaults.owner),
    members: oneOf(params.get(keys.members), memberChoices, defaults.members),
    activityDays: oneOf(params.get(keys.activityDays), ['', ...activityChoices], defaults.activityDays),
    sort: oneOf(sort ?? null, sorts, defaults.sort),
    direction: oneOf(direction ?? null, ['asc', 'desc'] as const, defaults.direction),
  }
}

/** The URL parameters for a filter state: only what differs from the defaults, plus `extra` (the view). */
export function filtersToParams(
  state: FilterState,
  defaults: FilterState,
  extra: Record<string, string | undefined> = {},
): URLSearchParams {
  const params = new URLSearchParams()
  for (const [field, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
    const value = state[field]
    if (value !== defaults[field]) params.set(key, value === '' ? anyValue : value)
  }
  if (state.sort !== defaults.sort || state.direction !== defaults.direction)
    params.set('sort', `${state.sort}:${state.direction}`)
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value)
  return params
}
