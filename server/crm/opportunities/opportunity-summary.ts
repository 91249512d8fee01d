// The member's pipeline summary: one grouped query over their own opportunities, folded into per-currency
// sums in code. Amounts in different currencies are never added together; the org's conversion rates are
// not synced, so a single-currency total would be a guess.
import type { Money, OpportunityFilters } from '../../../contracts/api/opportunities.api.js'
import { sortByStage } from '../../../contracts/api/stage-order.js'
import type { Db } from '../../storage/open-database.js'
import { findSummaryGroups, type SummaryGroupRow } from './opportunity-summary.repository.js'
import { readStageOrder } from './stage-order.repository.js'

export interface StageTotals {
  stageName: string | null
  /** Its place in the org's stage order (OpportunityStage.SortOrder); null for a stage the org does not list. */
  sortOrder: number | null
  isClosed: boolean
  /** What most of the stage's deals are forecast as: the chart colours its bar by it. */
  forecastCategoryName: string | null
  count: number
  amounts: Money[]
}

export interface PipelineSummary {
  openCount: number
  openPipeline: Money[]
  weightedPipeline: Money[]
  wonThisQuarter: { count: number; amounts: Money[]; quarterStart: string; quarterEnd: string }
  stages: StageTotals[]
}

/** The calendar quarter (UTC) holding `now`, as inclusive YYYY-MM-DD bounds. */
export function calendarQuarter(now: Date): { start: string; end: string } {
  const year = now.getUTCFullYear()
  const firstMonth = Math.floor(now.getUTCMonth() / 3) * 3
  const start = new Date(Date.UTC(year, firstMonth, 1))
  const end = new Date(Date.UTC(year, firstMonth + 3, 0))
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) }
}

export async function summarizeMemberOpportunities(
  db: Db,
  userId: string,
  filters: Partial<OpportunityFilters>,
  now: Date,
): Promise<PipelineSummary> {
  const quarter = calendarQuarter(now)
  const [rows, order] = await Promise.all([
    findSummaryGroups(db, userId, filters, quarter),
    readStageOrder(db),
  ])
  return foldSummary(rows, quarter, order)
}

/** `order`: StageName → SortOrder of the org's stages (stage-order.repository.ts). */
export function foldSummary(
  rows: SummaryGroupRow[],
  quarter: { start: string; end: string },
  order: ReadonlyMap<string, number | null>,
): PipelineSummary {
  const open = rows.filter((row) => !row.is_closed)
  const won = rows.filter((row) => row.won_in_quarter_count > 0)
  return {
    openCount: sumOf(open.map((row) => row.count)),
    openPipeline: perCurrency(open.map((row) => [row.currency_iso_code, row.amount])),
    weightedPipeline: perCurrency(open.map((row) => [row.currency_iso_code, row.weighted])),
    wonThisQuarter: {
      count: sumOf(won.map((row) => row.won_in_quarter_count)),
      amounts: perCurrency(won.map((row) => [row.currency_iso_code, row.won_in_quarter_amount])),
      quarterStart: quarter.start,
      quarterEnd: quarter.end,
    },
    stages: stageTotals(rows, order),
  }
}

// Board columns and chart bars in the org's stage order (issue 17 item 3); a name open in some deals and
// closed in others (a stage whose IsClosed changed) stays two columns, open first.
function stageTotals(rows: SummaryGroupRow[], order: ReadonlyMap<string, number | null>): StageTotals[] {
  const byStage = new Map<string, SummaryGroupRow[]>()
  for (const row of rows) {
    const key = JSON.stringify([row.stage_name, row.is_closed])
    byStage.set(key, [...(byStage.get(key) ?? []), row])
  }
  const totals = [...byStage.values()].map((group): StageTotals => ({
    stageName: group[0]!.stage_name,
    sortOrder: group[0]!.stage_name === null ? null : (order.get(group[0]!.stage_name) ?? null),
    isClosed: group[0]!.is_closed,
    forecastCategoryName: mostCommon(group),
    count: sumOf(group.map((row) => row.count)),
    amounts: perCurrency(group.map((row) => [row.currency_iso_code, row.amount])),
  }))
  const openFirst = [...totals].sort((a, b) => Number(a.isClosed) - Number(b.isClosed))
  return sortByStage(
    openFirst,
    (stage) => stage.stageName,
    (stage) => stage.sortOrder,
  )
}

function perCurrency(entries: Array<[string | null, number | null]>): Money[] {
  const sums = new Map<string | null, number>()
  for (const [currency, amount] of entries) {
    if (amount === null) continue
    sums.set(currency, (sums.get(currency) ?? 0) + amount)
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
    .map(([currencyIsoCode, amount]) => ({ currencyIsoCode, amount: Math.round(amount * 100) / 100 }))
}

/** The forecast category most of a stage's deals have, over its currency groups (ties: first by name). */
function mostCommon(group: SummaryGroupRow[]): string | null {
  const counts = new Map<string, number>()
  for (const row of group) {
    if (row.forecast_category_name === null) continue
    counts.set(row.forecast_category_name, (counts.get(row.forecast_category_name) ?? 0) + row.count)
  }
  const ranked = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  return ranked[0]?.[0] ?? null
}

function sumOf(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
