// The soak's verdict: the cache against the org, record by record.
//   lost: live in the org, missing from the cache or marked deleted there;
//   duplicated: an id cached more than once;
//   stale: cached live with another SystemModstamp or Amount than the org's, or live in the cache but deleted
//   in the org (a delete that never arrived).
import type { Org } from '../emulator/org/org.js'
import type { Db } from '../server/storage/open-database.js'

/** The fields the comparison reads of an org record (SystemModstamp in milliseconds). */
export interface OrgRecordState {
  Id: string
  IsDeleted: boolean
  SystemModstamp: number
  Amount: number | null
}

export async function compareCacheWithOrg(db: Db, org: Org) {
  const records: OrgRecordState[] = []
  for (const record of org.records.allRecords('Opportunity'))
    records.push({
      Id: String(record['Id']),
      IsDeleted: record['IsDeleted'] === true,
      SystemModstamp: Number(record['SystemModstamp']),
      Amount: record['Amount'] === null ? null : Number(record['Amount']),
    })
  return compareCacheWithRecords(db, records)
}

/** The same verdict against records read from an org elsewhere (an emulator in its own process). */
export async function compareCacheWithRecords(db: Db, records: Iterable<OrgRecordState>) {
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
  for (const record of records) {
    const row = byId.get(record.Id)
    if (record.IsDeleted) {
      orgDeleted += 1
      if (row && !row.is_deleted) deletesMissed += 1
      continue
    }
    orgLive += 1
    if (!row || row.is_deleted) {
      lost += 1
      continue
    }
    const cachedAmount = row.amount === null ? null : Number(row.amount)
    if (row.system_modstamp.getTime() !== record.SystemModstamp || record.Amount !== cachedAmount) stale += 1
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
