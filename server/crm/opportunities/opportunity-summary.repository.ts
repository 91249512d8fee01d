// The member's pipeline summary as one grouped query over their own opportunities (opportunity-summary.ts
// folds the groups into per-currency sums).
import { sql } from 'kysely'

import type { OpportunityFilters } from '../../../contracts/api/opportunities.api.js'
import type { Db } from '../../storage/open-database.js'
import { matchesFilters } from './opportunity-list-sql.repository.js'

/** One (stage, closed, currency) group of the member's opportunities; live mode builds these in code. */
export interface SummaryGroupRow {
  stage_name: string | null
  is_closed: boolean
  currency_iso_code: string | null
  /** The group's most common ForecastCategoryName (records may override their stage's default). */
  forecast_category_name: string | null
  count: number
  amount: number | null
  weighted: number | null
  won_in_quarter_count: number
  won_in_quarter_amount: number | null
}

/** The (stage, closed, currency) groups of `userId`'s opportunities matching `filters`. */
export async function findSummaryGroups(
  db: Db,
  userId: string,
  filters: Partial<OpportunityFilters>,
  quarter: { start: string; end: string },
): Promise<SummaryGroupRow[]> {
  const inQuarter = sql`o.is_won and o.close_date between ${quarter.start}::date and ${quarter.end}::date`
  return db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select(['o.stage_name', 'o.is_closed', 'o.currency_iso_code'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .select(sql<number | null>`sum(o.amount)`.as('amount'))
    .select(sql<number | null>`round(sum(o.amount * coalesce(o.probability, 0) / 100), 2)`.as('weighted'))
    .select(sql<number>`count(*) filter (where ${inQuarter})`.as('won_in_quarter_count'))
    .select(sql<number | null>`sum(o.amount) filter (where ${inQuarter})`.as('won_in_quarter_amount'))
    .select(
      sql<string | null>`mode() within group (order by o.forecast_category_name)`.as(
        'forecast_category_name',
      ),
    )
    .where('m.user_id', '=', userId)
    .where(matchesFilters(filters))
    .groupBy(['o.stage_name', 'o.is_closed', 'o.currency_iso_code'])
    .execute()
}
