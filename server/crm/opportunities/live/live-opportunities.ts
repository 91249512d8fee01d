// The member portal with "Cache data locally" off: which opportunities a user may see still comes from the
// local membership tables (the user id is part of that SQL, as in cache mode); what they hold is read from
// Salesforce by those ids on every request. Detail: membership first (404), then SOQL by Id (410 if gone).
import type { OpportunityDetail, OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import type { MemberListQuery } from '../member-listing.repository.js'
import type { Viewer, VisibleOpportunity } from '../opportunity-detail.repository.js'
import { hasFilters } from '../opportunity-list-sql.repository.js'
import { pageOf, type Page } from '../opportunity-lists.repository.js'
import type { SummaryGroupRow } from '../opportunity-summary.repository.js'
import { calendarQuarter, foldSummary, type PipelineSummary } from '../opportunity-summary.js'
import { readStageOrder } from '../stage-order.repository.js'
import { toOpportunityDetail, toOpportunityListItem } from '../opportunity.js'
import { readActivity } from '../list-activity.repository.js'
import { assignedIds } from './live-access.repository.js'
import { openLiveSource, type LiveAudience } from './live-query.js'
import {
  LIST_FIELDS,
  narrowPlan,
  readLivePage,
  scopeConditions,
  toLiveRow,
  type LiveRow,
} from './live-rows.js'
import { filterConditions, soqlId, whereClause } from './live-soql.js'

const audienceOf = (viewer: Viewer): LiveAudience => (viewer.isAdmin ? 'admin' : 'member')
const NO_ACTIVITY = { last_activity_at: null, unread: false }

export async function readLiveMemberListing(
  deps: AppDeps,
  connectionId: string,
  viewer: Viewer,
  query: MemberListQuery,
  localAssignedCount: number,
): Promise<{ assignedCount: number; totalCount: number; page: Page<OpportunityListItem> }> {
  // Salesforce cannot order by something only our feed knows, and sorting every assigned record here
  // would read them all from Salesforce for each page: with the cache off this sort is refused.
  if (query.sort === 'lastActivity') {
    throw new AppError(
      'VALIDATION_FAILED',
      'Sorting by last activity needs "Cache data locally" on; sort by another column.',
      { sort: 'not available while opportunities are read live from Salesforce' },
    )
  }
  const ids = await assignedIds(deps.db, viewer.userId)
  if (ids.length === 0) return { assignedCount: 0, totalCount: 0, page: { items: [], nextCursor: null } }
  const source = await openLiveSource(deps, connectionId, audienceOf(viewer))
  const live = await readLivePage(source, { kind: 'in', ids }, { ...query, sort: query.sort }, LIST_FIELDS, {
    count: true,
  })
  const { totalCount } = live
  // The rows are the user's own assignments (ids above), so their activity is theirs to see.
  const activity = await readActivity(
    deps.db,
    viewer.userId,
    live.rows.map((row) => row.id),
  )
  const rows = live.rows.map((row) => ({ ...row, ...(activity.get(row.id) ?? NO_ACTIVITY) }))
  return {
    // Without filters the live count is the assigned count, and it already leaves out records deleted in
    // Salesforce since the last sync; with filters, the key index's count (as of the last sync) stands in.
    assignedCount: hasFilters(query) ? localAssignedCount : totalCount,
    totalCount,
    page: pageOf(rows, query, toOpportunityListItem),
  }
}

const SUMMARY_FIELDS = ['Id', 'SystemModstamp', 'StageName', 'IsClosed', 'IsWon', 'CurrencyIsoCode', 'Amount']
const SUMMARY_EXTRA = ['Probability', 'CloseDate', 'ForecastCategoryName']

/** The pipeline summary over the user's assigned records as Salesforce has them now, grouped in code. */
export async function summarizeLive(
  deps: AppDeps,
  connectionId: string,
  viewer: Viewer,
  filters: Parameters<typeof filterConditions>[0],
  now: Date,
): Promise<PipelineSummary> {
  const quarter = calendarQuarter(now)
  const ids = await assignedIds(deps.db, viewer.userId)
  if (ids.length === 0) return foldSummary([], quarter, new Map())
  const source = await openLiveSource(deps, connectionId, audienceOf(viewer))
  const plan = narrowPlan(source, [...SUMMARY_FIELDS, ...SUMMARY_EXTRA])
  const select = `SELECT ${plan.select.join(', ')} FROM Opportunity`
  const results = await Promise.all(
    scopeConditions({ kind: 'in', ids }).map((scoped) =>
      source.query(`${select}${whereClause([scoped ?? '', ...filterConditions(filters)].filter(Boolean))}`),
    ),
  )
  const groups = new Map<string, SummaryGroupRow & { categories: string[] }>()
  for (const record of results.flatMap((result) => result.records)) {
    const row = toLiveRow(source, record, plan)
    const key = JSON.stringify([row.stage_name, row.is_closed, row.currency_iso_code])
    const group = groups.get(key) ?? {
      stage_name: row.stage_name,
      is_closed: row.is_closed,
      currency_iso_code: row.currency_iso_code,
      count: 0,
      amount: null,
      weighted: null,
      won_in_quarter_count: 0,
      won_in_quarter_amount: null,
      forecast_category_name: null,
      categories: [],
    }
    groups.set(key, group)
    group.count += 1
    const wonInQuarter =
      row.is_won &&
      row.close_date !== null &&
      row.close_date >= quarter.start &&
      row.close_date <= quarter.end
    if (wonInQuarter) group.won_in_quarter_count += 1
    if (row.forecast_category_name !== null) group.categories.push(row.forecast_category_name)
    if (row.amount === null) continue
    // SQL's sum() ignores NULL amounts and is NULL when all are; the same here.
    group.amount = (group.amount ?? 0) + row.amount
    group.weighted = (group.weighted ?? 0) + (row.amount * (row.probability ?? 0)) / 100
    if (wonInQuarter) group.won_in_quarter_amount = (group.won_in_quarter_amount ?? 0) + row.amount
  }
  const rows = [...groups.values()].map(({ categories, ...group }) => ({
    ...group,
    forecast_category_name: modeOf(categories),
    weighted: group.weighted === null ? null : Math.round(group.weighted * 100) / 100,
  }))
  return foldSummary(rows, quarter, await readStageOrder(deps.db))
}

/** The most common value; a tie goes to the first in sort order, which is what mode() over sorted input picks. */
function modeOf(values: string[]): string | null {
  const counts = new Map<string, number>()
  for (const value of [...values].sort()) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best: string | null = null
  for (const [value, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = value
  return best
}

/** The detail of a record the viewer may see (checked locally by the caller), read from Salesforce now. */
export async function readLiveDetail(
  deps: AppDeps,
  row: VisibleOpportunity,
  viewer: Viewer,
): Promise<OpportunityDetail> {
  const source = await openLiveSource(deps, row.connection_id, audienceOf(viewer))
  const result = await source.query(
    `SELECT ${source.plan.select.join(', ')} FROM Opportunity WHERE Id = ${soqlId(row.id)}`,
  )
  const record = result.records[0]
  // /query leaves out records in the recycle bin, and purged ones are gone: either way, deleted.
  if (!record) throw new AppError('OPPORTUNITY_DELETED', 'This opportunity was deleted in Salesforce')
  return toOpportunityDetail(toLiveRow(source, record, source.plan), source.instanceUrl ?? row.instance_url)
}

/**
 * Records by id as Salesforce has them now, for a page the caller already chose locally (at most a page size
 * of ids). Ids /query does not return (deleted, purged, or hidden from the integration user) are absent.
 */
export async function readLiveByIds(
  deps: AppDeps,
  connectionId: string,
  audience: LiveAudience,
  ids: readonly string[],
): Promise<Map<string, LiveRow>> {
  if (ids.length === 0) return new Map()
  const source = await openLiveSource(deps, connectionId, audience)
  const plan = narrowPlan(source, LIST_FIELDS)
  const select = `SELECT ${plan.select.join(', ')} FROM Opportunity`
  const results = await Promise.all(
    scopeConditions({ kind: 'in', ids: [...ids] }).map((scoped) =>
      source.query(`${select}${whereClause(scoped ? [scoped] : [])}`),
    ),
  )
  const rows = results.flatMap((result) => result.records.map((record) => toLiveRow(source, record, plan)))
  return new Map(rows.map((row) => [row.id, row]))
}
