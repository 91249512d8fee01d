// What a CSV import of assignments needs to know (assignment-csv.ts): active users by email and synced, not
// deleted opportunities by their 18- or 15-character Id.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

/** Lower-cased email → id of the active users with one of these emails. */
export async function activeUsersByEmail(db: Db, emails: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(emails.map((email) => email.toLowerCase()))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where(sql<string>`lower(email)`, 'in', wanted)
    .where('is_active', '=', true)
    .execute()
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.id]))
}

/** The stored (18-character) Ids of live opportunities named by their 18- or 15-character form. */
export async function liveOpportunityIdsByAnyForm(db: Db, ids: readonly string[]): Promise<string[]> {
  const long = ids.filter((id) => id.length === 18)
  const short = ids.filter((id) => id.length === 15)
  if (long.length === 0 && short.length === 0) return []
  const rows = await db
    .selectFrom('crm_opportunities')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(long.length > 0 ? [eb('id', 'in', long)] : []),
        ...(short.length > 0 ? [eb(sql<string>`left(id, 15)`, 'in', short)] : []),
      ]),
    )
    .where(sql<boolean>`not is_deleted`)
    .execute()
  return rows.map((row) => row.id)
}
