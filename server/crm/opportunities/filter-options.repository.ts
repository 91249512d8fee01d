// Stages and owners for the admin's filter menus, counted over live opportunities: two grouped scans of the
// cache (filter-options.ts serves them through the read cache).
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

export async function readFilterOptions(db: Db) {
  const [stages, owners] = await Promise.all([
    db
      .selectFrom('crm_opportunities as o')
      .select('o.stage_name as name')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(sql<boolean>`not o.is_deleted`)
      .where('o.stage_name', 'is not', null)
      .groupBy('o.stage_name')
      .execute(),
    db
      .selectFrom('crm_opportunities as o')
      .select(['o.owner_id as id'])
      // One row per owner even if the record copies of their name differ mid-sync (a rename).
      .select(sql<string | null>`max(o.owner_name)`.as('name'))
      .select(sql<string | null>`max(o.owner_email)`.as('email'))
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(sql<boolean>`not o.is_deleted`)
      .where('o.owner_id', 'is not', null)
      .groupBy('o.owner_id')
      .orderBy(sql`max(o.owner_name)`)
      .execute(),
  ])
  return {
    stages: stages.map((row) => ({ name: row.name ?? '', count: row.count })),
    owners: owners.map((row) => ({ id: row.id ?? '', name: row.name, email: row.email, count: row.count })),
  }
}
