// All Opportunities with "Cache data locally" off: search, filters, sort and keyset run in Salesforce over the
// whole org; only the member counts, the "with / without members" filter and everything about activity (the
// feed is local: last activity, unread, "activity in the last N days") come from the local tables.
import type {
  AdminOpportunityListItem,
  Money,
  OpportunityFilters,
  OpportunityListQuery,
} from '../../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../../deps.js'
import type { Db } from '../../../storage/open-database.js'
import { activitySince, idsWithActivitySince, readActivity } from '../list-activity.repository.js'
import { pageOf, type ListViewer, type Page } from '../opportunity-lists.repository.js'
import { toAdminListItem } from '../opportunity.js'
import { textOf } from '../../../providers/salesforce/opportunity-fields.js'
import { idsWithMembers, memberCounts } from './live-access.repository.js'
import { openLiveSource } from './live-query.js'
import { LIST_FIELDS, readLivePage, scopeConditions, type Scope } from './live-rows.js'
import { filterConditions, whereClause } from './live-soql.js'

const ADMIN_FIELDS = [...LIST_FIELDS, 'OwnerId', 'Owner.Email']
const NO_ACTIVITY = { last_activity_at: null, unread: false }

export async function listAllLive(
  deps: AppDeps,
  connectionId: string,
  query: OpportunityListQuery,
  viewer: ListViewer,
): Promise<Page<AdminOpportunityListItem>> {
  const scope = await localScope(deps.db, query, viewer.now)
  if (scope.kind === 'in' && scope.ids.length === 0) return { items: [], nextCursor: null }
  const source = await openLiveSource(deps, connectionId, 'admin')
  const { rows } = await readLivePage(source, scope, query, ADMIN_FIELDS, { count: false })
  const ids = rows.map((row) => row.id)
  const [counts, activity] = await Promise.all([
    memberCounts(deps.db, ids),
    readActivity(deps.db, viewer.userId, ids),
  ])
  return pageOf(
    rows.map((row) => ({
      ...row,
      ...(activity.get(row.id) ?? NO_ACTIVITY),
      member_count: counts.get(row.id) ?? 0,
    })),
    query,
    toAdminListItem,
  )
}

/**
 * Count and amount of the matching records, computed by Salesforce (one aggregate call per statement instead of
 * fetching every record). Unaliased aggregates come back as expr0, expr1 in AggregateResult records (SOQL and SOSL
 * Reference, "Aggregate Functions" and "Using Aliases with GROUP BY").
 *
 * In a multi-currency org the sum cannot be per currency: "If a query includes a GROUP BY or HAVING clause, any
 * currency data returned by using an aggregate function, such as SUM() or MAX(), is in the org's default currency"
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm),
 * so `SUM(Amount) … GROUP BY CurrencyIsoCode` gives each currency's records in the corporate currency, and the groups
 * add up to one total in it, marked converted unless every record was already in that currency. The query keeps
 * GROUP BY CurrencyIsoCode because that is the case the docs state (they are silent on an aggregate without it).
 * Per-currency sums in the records' own currencies come only from records (the cache's totals).
 */
export async function totalAllLive(
  deps: AppDeps,
  connectionId: string,
  filters: OpportunityFilters,
  viewer: ListViewer,
): Promise<{ count: number; amounts: Money[] }> {
  const scope = await localScope(deps.db, filters, viewer.now)
  if (scope.kind === 'in' && scope.ids.length === 0) return { count: 0, amounts: [] }
  const source = await openLiveSource(deps, connectionId, 'admin')
  const multiCurrency = source.plan.select.includes('CurrencyIsoCode')
  const sum = source.plan.select.includes('Amount') ? ', SUM(Amount)' : ''
  const select = `SELECT ${multiCurrency ? 'CurrencyIsoCode, ' : ''}COUNT(Id)${sum} FROM Opportunity`
  const results = await Promise.all(
    scopeConditions(scope).map((scoped) => {
      const conditions = [...(scoped ? [scoped] : []), ...filterConditions(filters)]
      return source.query(
        `${select}${whereClause(conditions)}${multiCurrency ? ' GROUP BY CurrencyIsoCode' : ''}`,
      )
    }),
  )
  const corporate = await source.corporateCurrency()
  let count = 0
  let total: number | null = null
  const currencies = new Set<string | null>()
  for (const record of results.flatMap((result) => result.records)) {
    count += Number(record['expr0'] ?? 0)
    const amount = record['expr1']
    if (typeof amount !== 'number') continue
    total = (total ?? 0) + amount
    currencies.add(multiCurrency ? textOf(record['CurrencyIsoCode']) : corporate)
  }
  if (total === null) return { count, amounts: [] }
  const converted = [...currencies].some((code) => code !== corporate)
  const money: Money = { currencyIsoCode: corporate, amount: Math.round(total * 100) / 100 }
  return { count, amounts: [converted ? { ...money, converted } : money] }
}

/** Stage counts for the filter menu (the key index has no stages): one grouped query; filter-options.ts orders them. */
export async function liveStageCounts(
  deps: AppDeps,
  connectionId: string,
): Promise<Array<{ name: string; count: number }>> {
  const source = await openLiveSource(deps, connectionId, 'admin')
  if (!source.plan.select.includes('StageName')) return []
  const result = await source.query('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName')
  return result.records
    .map((record) => ({ name: textOf(record['StageName']) ?? '', count: Number(record['expr0'] ?? 0) }))
    .filter((stage) => stage.name !== '')
}

/** "with members" / "without members" as a scope of the opportunity ids that have members locally. */
async function membersScope(db: Db, members: OpportunityFilters['members']): Promise<Scope> {
  if (!members) return { kind: 'all' }
  const ids = await idsWithMembers(db)
  return members === 'with' ? { kind: 'in', ids } : { kind: 'notIn', ids }
}

/** The members scope narrowed to the ids with activity in the last `activityDays` days, if asked. */
async function localScope(db: Db, filters: OpportunityFilters, now: Date): Promise<Scope> {
  const scope = await membersScope(db, filters.members)
  if (!filters.activityDays) return scope
  const active = await idsWithActivitySince(db, activitySince(filters.activityDays, now))
  if (scope.kind === 'all') return { kind: 'in', ids: active }
  const listed = new Set(scope.ids)
  const keep = scope.kind === 'in' ? (id: string) => listed.has(id) : (id: string) => !listed.has(id)
  return { kind: 'in', ids: active.filter(keep) }
}
