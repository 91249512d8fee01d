// The board's columns: the summary's stages (count and amount over every page), plus a column for a stage a
// card on this page is in that the summary does not list (a card just moved there), all in the org's stage
// order (OpportunityStage.SortOrder, compareStages in contracts/api/stage-order.ts; issue 17 item 3). Such an
// extra column has no SortOrder here, so it stands after the known stages until the summary's refetch lists it.
import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { sortByStage } from '../../../../contracts/api/stage-order.js'
import type { Summary } from './PipelineSummary.js'

export type Column = Summary['stages'][number]

export function boardColumns(
  stages: readonly Column[],
  items: ReadonlyArray<Pick<OpportunityListItem, 'stageName' | 'isClosed' | 'forecastCategoryName'>>,
): Column[] {
  const columns = [...stages]
  for (const item of items)
    if (!columns.some((column) => column.stageName === item.stageName))
      columns.push({
        stageName: item.stageName,
        sortOrder: null,
        isClosed: item.isClosed,
        forecastCategoryName: item.forecastCategoryName,
        count: 0,
        amounts: [],
      })
  return sortByStage(
    columns,
    (column) => column.stageName,
    (column) => column.sortOrder,
  )
}
