// What the live lists share: records become the cache's row shape (so the API mapping is the one of
// opportunity.ts), id lists split into statements of IDS_PER_STATEMENT, and the keyset page over them.
import type { OpportunityListQuery, OpportunitySort } from '../../../../contracts/api/opportunities.api.js'
import { AppError } from '../../../errors.js'
import { MalformedRecordError, type FieldPlan } from '../../../providers/crm-provider.js'
import { decodeCursor } from '../list-cursor.js'
import type { OpportunityRow } from '../opportunity.js'
import { liveUnavailable, type LiveSource } from './live-query.js'
import {
  afterCursorCondition,
  cursorKeyOf,
  filterConditions,
  IDS_PER_STATEMENT,
  nullsHigh,
  orderByClause,
  soqlIdList,
  whereClause,
} from './live-soql.js'

/** A record read live, in the cache's row shape; `synced_at` null marks it as live. */
export type LiveRow = Omit<OpportunityRow, 'synced_at'> & { synced_at: null }

/** Which records a statement may return: all of them, or only (or all but) ids known locally. */
export type Scope = { kind: 'all' } | { kind: 'in'; ids: string[] } | { kind: 'notIn'; ids: string[] }

export const LIST_FIELDS = [
  'Id',
  'SystemModstamp',
  'Name',
  'Account.Name',
  'Amount',
  'CurrencyIsoCode',
  'CloseDate',
  'StageName',
  'Probability',
  'ForecastCategoryName',
  'Owner.Name',
  'IsClosed',
  'IsWon',
  'LastModifiedDate',
]

/** The source's plan narrowed to `fields` (fields hidden from the integration user stay out, as in the sync). */
// Keeps the corporate currency: a single-currency org's records carry no CurrencyIsoCode, and without it
// their amounts would be shown with no currency at all.
export function narrowPlan(source: LiveSource, fields: readonly string[]): FieldPlan {
  return {
    select: source.plan.select.filter((field) => fields.includes(field)),
    hidden: [],
    extra: [],
    defaultCurrency: source.plan.defaultCurrency,
  }
}

export function toLiveRow(source: LiveSource, record: Record<string, unknown>, plan: FieldPlan): LiveRow {
  let read
  try {
    read = source.toRecord(record, plan)
  } catch (err) {
    if (!(err instanceof MalformedRecordError)) throw err
    throw liveUnavailable(
      source.audience,
      `Salesforce sent a record that could not be read (${err.message}).`,
    )
  }
  return {
    id: read.id,
    connection_id: source.connectionId,
    name: read.name,
    account_id: read.accountId,
    account_name: read.accountName,
    amount: read.amount,
    currency_iso_code: read.currencyIsoCode,
    close_date: read.closeDate,
    stage_name: read.stageName,
    probability: read.probability,
    forecast_category_name: read.forecastCategoryName,
    type: read.type,
    lead_source: read.leadSource,
    next_step: read.nextStep,
    description: read.description,
    is_closed: read.isClosed,
    is_won: read.isWon,
    owner_id: read.ownerId,
    owner_name: read.ownerName,
    owner_email: read.ownerEmail,
    created_date: read.createdDate,
    last_modified_date: read.lastModifiedDate,
    system_modstamp: read.systemModstamp,
    extra_fields: read.extraFields,
    is_deleted: false,
    deleted_at: null,
    synced_at: null,
    last_modified_by_id: read.lastModifiedById,
    last_modified_by_name: read.lastModifiedByName,
  }
}

/** One scope condition per statement: `in` splits into statements of IDS_PER_STATEMENT ids (none if empty). */
export function scopeConditions(scope: Scope): Array<string | undefined> {
  if (scope.kind === 'all') return [undefined]
  if (scope.kind === 'notIn') {
    if (scope.ids.length === 0) return [undefined]
    if (scope.ids.length > IDS_PER_STATEMENT) {
      throw new AppError(
        'VALIDATION_FAILED',
        `With "Cache data locally" off, "without members" works while at most ${IDS_PER_STATEMENT} opportunities have members.`,
        { members: 'too many opportunities have members for a live query' },
      )
    }
    return [`Id NOT IN ${soqlIdList(scope.ids)}`]
  }
  const conditions: string[] = []
  for (let i = 0; i < scope.ids.length; i += IDS_PER_STATEMENT) {
    conditions.push(`Id IN ${soqlIdList(scope.ids.slice(i, i + IDS_PER_STATEMENT))}`)
  }
  return conditions
}

export type LivePageQuery = Omit<OpportunityListQuery, 'owner' | 'members'> & { owner?: string[] | undefined }

/**
 * `SELECT … WHERE <scope> AND <filters> AND <after cursor> ORDER BY <sort>, Id LIMIT n+1` per statement, and
 * the filtered count beside it (COUNT(), without the cursor). Several statements (more ids than one may hold)
 * are merged in the same order and cut to n+1, which is exactly the next page of their union.
 */
export async function readLivePage(
  source: LiveSource,
  scope: Scope,
  query: LivePageQuery,
  fields: readonly string[],
  options: { count: boolean },
): Promise<{ rows: Array<LiveRow & { sort_key: string }>; totalCount: number }> {
  const plan = narrowPlan(source, fields)
  const filters = filterConditions(query)
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort, query.direction) : undefined
  const after = cursor ? [afterCursorCondition(cursor)] : []
  const order = orderByClause(query.sort, query.direction)
  const select = `SELECT ${plan.select.join(', ')} FROM Opportunity`
  const results = await Promise.all(
    scopeConditions(scope).map(async (scoped) => {
      const conditions = scoped ? [scoped, ...filters] : filters
      const limit = ` LIMIT ${query.limit + 1}`
      const [page, count] = await Promise.all([
        source.query(`${select}${whereClause([...conditions, ...after])}${order}${limit}`),
        options.count ? source.query(`SELECT COUNT() FROM Opportunity${whereClause(conditions)}`) : undefined,
      ])
      return { page, count: count?.totalSize ?? 0 }
    }),
  )
  let rows = results.flatMap((result) => result.page.records.map((record) => toLiveRow(source, record, plan)))
  if (results.length > 1) rows = rows.sort(compareRows(query.sort, query.direction)).slice(0, query.limit + 1)
  return {
    rows: rows.map((row) => ({ ...row, sort_key: cursorKeyOf(query.sort, row) })),
    totalCount: results.reduce((total, result) => total + result.count, 0),
  }
}

/** The order of orderByClause, for merging statements: sort value (NULLs as in the cache), then Id. */
function compareRows(sort: OpportunitySort, direction: 'asc' | 'desc') {
  const value = (row: LiveRow): string | number | null => {
    if (sort === 'closeDate') return row.close_date
    if (sort === 'amount') return row.amount
    if (sort === 'name') return (row.name ?? '').toUpperCase()
    return row.last_modified_date?.getTime() ?? null
  }
  const high = nullsHigh(sort)
  const sign = direction === 'asc' ? 1 : -1
  return (a: LiveRow, b: LiveRow): number => {
    const [x, y] = [value(a), value(b)]
    let order = 0
    if (x === null || y === null) order = x === y ? 0 : (x === null) === high ? 1 : -1
    else order = x < y ? -1 : x > y ? 1 : 0
    if (order === 0) order = a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    return order * sign
  }
}
