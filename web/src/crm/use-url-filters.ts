// The list pages keep their filters, sort and view in the URL (crm/filter-state.ts), so a reload or a
// shared link opens the same list. Changes replace the history entry: typing a search is not ten Back steps.
// A change applies to the URL as it is now, not as of the last render: react-router's setSearchParams
// (its updater form too) starts from the last rendered params, so two changes before a render lost the
// first (https://github.com/remix-run/react-router/issues/9757).
import { useSearchParams } from 'react-router'

import { filtersFromParams, filtersToParams, type FilterState } from './filter-state.js'

export type ListView = 'list' | 'board'

const viewOf = (params: URLSearchParams): ListView => (params.get('view') === 'board' ? 'board' : 'list')

export function useUrlFilters(defaults: FilterState) {
  const [params, setParams] = useSearchParams()
  const latest = () => {
    const now = new URLSearchParams(window.location.search)
    return { filters: filtersFromParams(now, defaults), view: viewOf(now) }
  }
  const write = (next: FilterState, nextView: ListView) =>
    setParams(filtersToParams(next, defaults, { view: nextView === 'board' ? 'board' : undefined }), {
      replace: true,
    })
  return {
    filters: filtersFromParams(params, defaults),
    view: viewOf(params),
    setFilters: (changed: Partial<FilterState>) => {
      const now = latest()
      write({ ...now.filters, ...changed }, now.view)
    },
    setView: (next: ListView) => write(latest().filters, next),
  }
}
