// The Members overview and one user's opportunities, in the contract's shape (member-overview.repository.ts
// does the counting in SQL).
import type {
  MemberOpportunity,
  MemberOverviewQuery,
  MemberOverviewRow,
} from '../../../contracts/api/member-overview.api.js'
import type { MemberUser } from '../../../contracts/api/members.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { findUserById } from '../../users/users.repository.js'
import { readLiveByIds } from '../opportunities/live/live-opportunities.js'
import type { LiveRow } from '../opportunities/live/live-rows.js'
import { readMode } from '../opportunities/read-mode.js'
import { toMemberUser } from './members.repository.js'
import { findMemberOpportunities, findMemberOverview } from './member-overview.repository.js'

// With the cache off the key index keeps assignments but blank content (is_closed false, amount null), so the
// counts hold and the open figures would not: they are null rather than "everything open, nothing in it".
export async function readMemberOverview(
  db: Db,
  query: MemberOverviewQuery,
): Promise<{ rows: MemberOverviewRow[]; totalCount: number; currencies: string[]; mode: 'cache' | 'live' }> {
  const mode = (await readMode(db)).source
  const found = await findMemberOverview(db, query)
  const live = mode === 'live'
  return {
    mode,
    totalCount: found.totalCount,
    currencies: live ? [] : found.currencies,
    rows: found.rows.map((row) => ({
      user: toMemberUser(row),
      opportunityCount: row.opportunity_count,
      manualCount: row.manual_count,
      automaticCount: row.automatic_count,
      openCount: live ? null : row.open_count,
      openPipeline: live ? null : row.open_pipeline,
    })),
  }
}

export async function readMemberOpportunities(
  deps: AppDeps,
  userId: string,
  page: { page: number; pageSize: number },
): Promise<{
  user: MemberUser
  items: MemberOpportunity[]
  totalCount: number
  mode: 'cache' | 'live'
  liveError: string | null
}> {
  const user = await findUserById(deps.db, userId)
  if (!user) throw notFound('This user')
  const mode = await readMode(deps.db)
  // Which ones and how come from the key index in both modes (in live mode its names are blank, so the order
  // is by id); live mode then reads just this page's ids from Salesforce.
  const rows = await findMemberOpportunities(deps.db, userId, page)
  const live = mode.source === 'live' ? await readLivePageRows(deps, mode.connectionId, rows) : null
  return {
    mode: mode.source,
    liveError: live?.error ?? null,
    user: toMemberUser(user),
    // A page past the end has no row to carry the total; then only the count is unknown, not the user.
    totalCount: rows[0]?.total_count ?? 0,
    items: rows.map((row) => {
      const read = live?.rows?.get(row.id)
      const content = read ?? row
      return {
        id: row.id,
        name: content.name ?? '',
        accountName: content.account_name,
        amount: content.amount,
        currencyIsoCode: content.currency_iso_code,
        stageName: content.stage_name,
        closeDate: content.close_date,
        isClosed: content.is_closed,
        isManual: row.is_manual,
        viaOwnerRule: row.via_owner_rule,
        viaTeamRule: row.via_team_rule,
        // Only when Salesforce answered: after a failed read nothing is known about any of them.
        missingInSalesforce: live?.rows !== undefined && read === undefined,
      }
    }),
  }
}

/**
 * The page's records read live; a Salesforce failure (CRM_UNAVAILABLE: down, session expired, limit) becomes
 * a message beside the ids, so the dialog still lists them and can remove manual ones.
 */
async function readLivePageRows(
  deps: AppDeps,
  connectionId: string,
  rows: Array<{ id: string }>,
): Promise<{ rows?: Map<string, LiveRow>; error: string | null }> {
  try {
    const ids = rows.map((row) => row.id)
    return { rows: await readLiveByIds(deps, connectionId, 'admin', ids), error: null }
  } catch (err) {
    if (err instanceof AppError && err.code === 'CRM_UNAVAILABLE') return { error: err.message }
    throw err
  }
}
