// The list pages keep their filters, sort and view in the URL (crm/filter-state.ts), so a reload or a
// shared link opens the same list. Changes replace the history entry: typing a search is not ten Back steps.
import { useSearchParams } from 'react-router'

import { filtersFromParams, filtersToParams, type FilterState } from './filter-state.js'

export type ListView = 'list' | 'board'

export function useUrlFilters(defaults: FilterState) {
  const [params, setParams] = useSearchParams()
  const filters = filtersFromParams(params, defaults)
  const view: ListView = params.get('view') === 'board' ? 'board' : 'list'
  const write = (next: FilterState, nextView: ListView) =>
    setParams(filtersToParams(next, defaults, { view: nextView === 'board' ? 'board' : undefined }), {
      replace: true,
    })
  return {
    filters,
    view,
    setFilters: (next: FilterState) => write(next, view),
    setView: (next: ListView) => write(filters, next),
  }
}
