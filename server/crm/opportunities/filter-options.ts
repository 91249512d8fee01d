// Stages and owners for the admin's filter menus, counted over live opportunities. Two grouped scans of the
// cache; the answer sits in the read cache until the next write, so a busy list page pays for it rarely.
import { sql } from 'kysely'

import { getOpportunityFilterOptions } from '../../../contracts/api/opportunity-filters.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import type { Db } from '../../storage/open-database.js'
import { liveStageCounts } from './live/live-admin.js'
import { readMode } from './read-mode.js'

export async function readFilterOptions(db: Db) {
  const [stages, owners] = await Promise.all([
    db
      .selectFrom('crm_opportunities as o')
      .select('o.stage_name as name')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(sql<boolean>`not o.is_deleted`)
      .where('o.stage_name', 'is not', null)
      .groupBy('o.stage_name')
      .orderBy('count', 'desc')
      .orderBy('o.stage_name')
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

export function registerFilterOptionRoutes(route: Route, deps: AppDeps): void {
  route(
    getOpportunityFilterOptions,
    async (call) => {
      const options = await readFilterOptions(deps.db)
      const mode = await readMode(deps.db)
      if (mode.source === 'cache') return options
      // Cache off: owners still come from the key index; stages only Salesforce knows.
      call.doNotCache()
      return { ...options, stages: await liveStageCounts(deps, mode.connectionId) }
    },
    { cache: true },
  )
}
