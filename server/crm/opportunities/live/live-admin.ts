// All Opportunities with "Cache data locally" off: search, filters, sort and keyset run in Salesforce over the
// whole org; only the member counts and the "with / without members" filter come from the local tables.
import type {
  AdminOpportunityListItem,
  Money,
  OpportunityFilters,
  OpportunityListQuery,
} from '../../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../../deps.js'
import type { Db } from '../../../storage/open-database.js'
import { pageOf, type Page } from '../opportunity-lists.repository.js'
import { toAdminListItem } from '../opportunity.js'
import { textOf } from '../../../providers/salesforce/opportunity-fields.js'
import { idsWithMembers, memberCounts } from './live-access.repository.js'
import { openLiveSource } from './live-query.js'
import { LIST_FIELDS, readLivePage, scopeConditions, type Scope } from './live-rows.js'
import { filterConditions, whereClause } from './live-soql.js'

const ADMIN_FIELDS = [...LIST_FIELDS, 'OwnerId', 'Owner.Email']

export async function listAllLive(
  deps: AppDeps,
  connectionId: string,
  query: OpportunityListQuery,
): Promise<Page<AdminOpportunityListItem>> {
  const scope = await membersScope(deps.db, query.members)
  if (scope.kind === 'in' && scope.ids.length === 0) return { items: [], nextCursor: null }
  const source = await openLiveSource(deps, connectionId, 'admin')
  const { rows } = await readLivePage(source, scope, query, ADMIN_FIELDS, { count: false })
  const counts = await memberCounts(
    deps.db,
    rows.map((row) => row.id),
  )
  return pageOf(
    rows.map((row) => ({ ...row, member_count: counts.get(row.id) ?? 0 })),
    query,
    toAdminListItem,
  )
}

/**
 * Count and amount per currency, computed by Salesforce: `SELECT CurrencyIsoCode, COUNT(Id), SUM(Amount) …
 * GROUP BY CurrencyIsoCode` (CurrencyIsoCode only exists in multi-currency orgs). Unaliased aggregates come back
 * as expr0, expr1 in AggregateResult records (SOQL and SOSL Reference, "Aggregate Functions" and "Using
 * Aliases with GROUP BY"). One call per statement instead of fetching every record.
 */
export async function totalAllLive(
  deps: AppDeps,
  connectionId: string,
  filters: OpportunityFilters,
): Promise<{ count: number; amounts: Money[] }> {
  const scope = await membersScope(deps.db, filters.members)
  if (scope.kind === 'in' && scope.ids.length === 0) return { count: 0, amounts: [] }
  const source = await openLiveSource(deps, connectionId, 'admin')
  const currency = source.plan.select.includes('CurrencyIsoCode')
  const sum = source.plan.select.includes('Amount') ? ', SUM(Amount)' : ''
  const select = `SELECT ${currency ? 'CurrencyIsoCode, ' : ''}COUNT(Id)${sum} FROM Opportunity`
  const results = await Promise.all(
    scopeConditions(scope).map((scoped) => {
      const conditions = [...(scoped ? [scoped] : []), ...filterConditions(filters)]
      return source.query(`${select}${whereClause(conditions)}${currency ? ' GROUP BY CurrencyIsoCode' : ''}`)
    }),
  )
  let count = 0
  const amounts = new Map<string | null, number>()
  for (const record of results.flatMap((result) => result.records)) {
    count += Number(record['expr0'] ?? 0)
    const code = currency ? textOf(record['CurrencyIsoCode']) : null
    const amount = record['expr1']
    if (typeof amount === 'number') amounts.set(code, (amounts.get(code) ?? 0) + amount)
  }
  return {
    count,
    amounts: [...amounts.entries()]
      .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
      .map(([currencyIsoCode, amount]) => ({ currencyIsoCode, amount: Math.round(amount * 100) / 100 })),
  }
}

/** Stage counts for the filter menu (the key index has no stages): one grouped query, most used first. */
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
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
}

/** "with members" / "without members" as a scope of the opportunity ids that have members locally. */
async function membersScope(db: Db, members: OpportunityFilters['members']): Promise<Scope> {
  if (!members) return { kind: 'all' }
  const ids = await idsWithMembers(db)
  return members === 'with' ? { kind: 'in', ids } : { kind: 'notIn', ids }
}
