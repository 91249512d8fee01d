// The Members overview: one statement counts every active user's assignments and sums their open pipeline per
// currency, then searches, sorts and pages them, so a page never costs a statement per user. Opportunities
// deleted in Salesforce are left out (they show nowhere but as "deleted" bookmarks).
import { sql, type RawBuilder } from 'kysely'

import type { Money } from '../../../contracts/api/opportunities.api.js'
import type { MemberOverviewQuery, MemberOverviewSort } from '../../../contracts/api/member-overview.api.js'
import type { Db } from '../../storage/open-database.js'
import { escapeLike } from '../../users/users.repository.js'

export interface MemberOverviewDbRow {
  id: string
  name: string
  email: string
  role: 'admin' | 'member'
  is_active: boolean
  opportunity_count: number
  manual_count: number
  automatic_count: number
  open_count: number
  open_pipeline: Money[]
}

const sortExpressions: Record<MemberOverviewSort, RawBuilder<unknown>> = {
  name: sql`lower(c.name)`,
  opportunities: sql`c.opportunity_count`,
  manual: sql`c.manual_count`,
  automatic: sql`c.automatic_count`,
  pipeline: sql`c.sort_amount`,
}

export async function findMemberOverview(
  db: Db,
  query: MemberOverviewQuery,
): Promise<{ rows: MemberOverviewDbRow[]; totalCount: number; currencies: string[] }> {
  const search = query.search
    ? sql`and (u.name ilike ${`%${escapeLike(query.search)}%`} or u.email ilike ${`%${escapeLike(query.search)}%`})`
    : sql``
  const direction = query.direction === 'desc' ? sql`desc` : sql`asc`
  // A user with no open deal in the sort currency has 0 of it: they sort with the smallest, not apart.
  const { rows } = await sql<{
    total_count: number
    currencies: string[] | null
    page: MemberOverviewDbRow[] | null
  }>`
    with live_members as (
      select m.user_id, m.is_manual, (m.via_owner_rule or m.via_team_rule) as is_automatic,
             o.is_closed, o.amount, o.currency_iso_code
        from crm_opportunity_members m
        join crm_opportunities o on o.id = m.opportunity_id
       where not o.is_deleted
    ),
    pipeline as (
      select user_id, currency_iso_code, sum(amount) as amount
        from live_members
       where not is_closed and amount is not null
       group by user_id, currency_iso_code
    ),
    counted as (
      select u.id, u.name, u.email, u.role, u.is_active,
             count(lm.user_id) as opportunity_count,
             count(*) filter (where lm.is_manual) as manual_count,
             count(*) filter (where lm.is_automatic) as automatic_count,
             count(*) filter (where not lm.is_closed) as open_count,
             coalesce((select sum(p.amount) from pipeline p
                        where p.user_id = u.id and p.currency_iso_code = ${query.currency ?? null}::text), 0)
               as sort_amount
        from users u
        left join live_members lm on lm.user_id = u.id
       where u.is_active ${search}
       group by u.id
    ),
    page as (
      select c.*,
             row_number() over (order by ${sortExpressions[query.sort]} ${direction}, lower(c.name), c.id) as position,
             coalesce((select json_agg(json_build_object('currencyIsoCode', p.currency_iso_code, 'amount', p.amount)
                                       order by p.currency_iso_code)
                         from pipeline p where p.user_id = c.id), '[]'::json) as open_pipeline
        from counted c
       order by position
       limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}
    )
    select (select count(*) from counted) as total_count,
           (select json_agg(distinct p.currency_iso_code order by p.currency_iso_code)
              from pipeline p join counted c on c.id = p.user_id
             where p.currency_iso_code is not null) as currencies,
           (select json_agg(page order by page.position) from page)
             as page`.execute(db)
  const row = rows[0]
  return { rows: row?.page ?? [], totalCount: row?.total_count ?? 0, currencies: row?.currencies ?? [] }
}

export interface MemberOpportunityDbRow {
  id: string
  name: string | null
  account_name: string | null
  amount: number | null
  currency_iso_code: string | null
  stage_name: string | null
  close_date: string | null
  is_closed: boolean
  is_manual: boolean
  via_owner_rule: boolean
  via_team_rule: boolean
  total_count: number
}

/** One page of `userId`'s opportunities (not deleted) by name, each row carrying the total. */
export function findMemberOpportunities(
  db: Db,
  userId: string,
  page: { page: number; pageSize: number },
): Promise<MemberOpportunityDbRow[]> {
  return db
    .selectFrom('crm_opportunity_members as m')
    .innerJoin('crm_opportunities as o', 'o.id', 'm.opportunity_id')
    .select([
      'o.id',
      'o.name',
      'o.account_name',
      'o.amount',
      'o.currency_iso_code',
      'o.stage_name',
      'o.close_date',
      'o.is_closed',
      'm.is_manual',
      'm.via_owner_rule',
      'm.via_team_rule',
    ])
    .select(sql<number>`count(*) over ()`.as('total_count'))
    .where('m.user_id', '=', userId)
    .where(sql<boolean>`not o.is_deleted`)
    .orderBy(sql`upper(o.name) collate "C"`)
    .orderBy('o.id')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute()
}
