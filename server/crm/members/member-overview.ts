// The Members overview and one user's opportunities, in the contract's shape (member-overview.repository.ts
// does the counting in SQL).
import type {
  MemberOpportunity,
  MemberOverviewQuery,
  MemberOverviewRow,
} from '../../../contracts/api/member-overview.api.js'
import type { MemberUser } from '../../../contracts/api/members.api.js'
import { notFound } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { findUserById } from '../../users/users.repository.js'
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
  db: Db,
  userId: string,
  page: { page: number; pageSize: number },
): Promise<{ user: MemberUser; items: MemberOpportunity[]; totalCount: number; mode: 'cache' | 'live' }> {
  const user = await findUserById(db, userId)
  if (!user) throw notFound('This user')
  // Live mode: the rows have ids and how the user got them, but blank names and stages (the web says so).
  const mode = (await readMode(db)).source
  const rows = await findMemberOpportunities(db, userId, page)
  return {
    mode,
    user: toMemberUser(user),
    // A page past the end has no row to carry the total; then only the count is unknown, not the user.
    totalCount: rows[0]?.total_count ?? 0,
    items: rows.map((row) => ({
      id: row.id,
      name: row.name ?? '',
      accountName: row.account_name,
      amount: row.amount,
      currencyIsoCode: row.currency_iso_code,
      stageName: row.stage_name,
      closeDate: row.close_date,
      isClosed: row.is_closed,
      isManual: row.is_manual,
      viaOwnerRule: row.via_owner_rule,
      viaTeamRule: row.via_team_rule,
    })),
  }
}
