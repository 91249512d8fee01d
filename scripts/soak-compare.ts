// The soak's verdict: the cache against the org, record by record.
//   lost: live in the org, missing from the cache or marked deleted there;
//   duplicated: an id cached more than once;
//   stale: cached live with another SystemModstamp or Amount than the org's, or live in the cache but deleted
//   in the org (a delete that never arrived).
import type { Org } from '../emulator/org/org.js'
import type { Db } from '../server/storage/open-database.js'

export async function compareCacheWithOrg(db: Db, org: Org) {
  const cached = await db
    .selectFrom('crm_opportunities')
    .select(['id', 'is_deleted', 'system_modstamp', 'amount'])
    .execute()
  const byId = new Map<string, (typeof cached)[number]>()
  let duplicated = 0
  for (const row of cached) {
    if (byId.has(row.id)) duplicated += 1
    byId.set(row.id, row)
  }
  let lost = 0
  let stale = 0
  let deletesMissed = 0
  let orgLive = 0
  let orgDeleted = 0
  for (const record of org.records.allRecords('Opportunity')) {
    const row = byId.get(String(record['Id']))
    if (record['IsDeleted'] === true) {
      orgDeleted += 1
      if (row && !row.is_deleted) deletesMissed += 1
      continue
    }
    orgLive += 1
    if (!row || row.is_deleted) {
      lost += 1
      continue
    }
    const amount = record['Amount'] === null ? null : Number(record['Amount'])
    const cachedAmount = row.amount === null ? null : Number(row.amount)
    if (row.system_modstamp.getTime() !== Number(record['SystemModstamp']) || amount !== cachedAmount)
      stale += 1
  }
  return {
    orgLive,
    orgDeleted,
    cachedRows: cached.length,
    lost,
    duplicated,
    stale: stale + deletesMissed,
    deletesMissed,
  }
}
