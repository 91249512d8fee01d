import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import { escapeLike } from '../../users/users.repository.js'

const TYPE_AHEAD_LIMIT = 20

/** Active users matching `search` in name or email, for the "add member" type-ahead. */
export function findAssignableUsers(
  db: Db,
  options: { search?: string | undefined; opportunityId?: string | undefined },
) {
  let query = db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.role', 'u.is_active'])
    .select(
      options.opportunityId
        ? sql<boolean | null>`exists (select 1 from crm_opportunity_members m
            where m.user_id = u.id and m.opportunity_id = ${options.opportunityId})`.as('is_member')
        : sql<boolean | null>`null::boolean`.as('is_member'),
    )
    .where('u.is_active', '=', true)
    .orderBy('u.name')
    .orderBy('u.email')
    .limit(TYPE_AHEAD_LIMIT)
  if (options.search) {
    const pattern = `%${escapeLike(options.search)}%`
    query = query.where((eb) => eb.or([eb('u.name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]))
  }
  return query.execute()
}

/**
 * Active users matching `search` in their name only (a member must not find people by email) who are not on
 * the opportunity yet, for the portal's "Add people" type-ahead.
 */
export function findAddablePeople(db: Db, opportunityId: string, search: string | undefined) {
  let query = db
    .selectFrom('users as u')
    .select(['u.id', 'u.name'])
    .where('u.is_active', '=', true)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('crm_opportunity_members as m')
            .select('m.user_id')
            .whereRef('m.user_id', '=', 'u.id')
            .where('m.opportunity_id', '=', opportunityId),
        ),
      ),
    )
    .orderBy('u.name')
    .orderBy('u.id')
    .limit(TYPE_AHEAD_LIMIT)
  if (search) query = query.where('u.name', 'ilike', `%${escapeLike(search)}%`)
  return query.execute()
}
