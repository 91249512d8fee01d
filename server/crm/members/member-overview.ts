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
import { toMemberUser } from './members.repository.js'
import { findMemberOpportunities, findMemberOverview } from './member-overview.repository.js'

export async function readMemberOverview(
  db: Db,
  query: MemberOverviewQuery,
): Promise<{ rows: MemberOverviewRow[]; totalCount: number; currencies: string[] }> {
  const found = await findMemberOverview(db, query)
  return {
    totalCount: found.totalCount,
    currencies: found.currencies,
    rows: found.rows.map((row) => ({
      user: toMemberUser(row),
      opportunityCount: row.opportunity_count,
      manualCount: row.manual_count,
      automaticCount: row.automatic_count,
      openCount: row.open_count,
      openPipeline: row.open_pipeline,
    })),
  }
}

export async function readMemberOpportunities(
  db: Db,
  userId: string,
  page: { page: number; pageSize: number },
): Promise<{ user: MemberUser; items: MemberOpportunity[]; totalCount: number }> {
  const user = await findUserById(db, userId)
  if (!user) throw notFound('This user')
  const rows = await findMemberOpportunities(db, userId, page)
  return {
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
