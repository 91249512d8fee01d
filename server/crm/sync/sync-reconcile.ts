// Reconciliation: list every Id and SystemModstamp Salesforce has (two narrow columns, cheap in API calls),
// park them in crm_reconcile_ids, and let SQL find the drift: cached records Salesforce no longer has (missed
// deletes), and records that are missing or older in the cache (missed changes), which are fetched again by Id.
import type { FieldPlan } from '../../providers/crm-provider.js'
import { upsertOpportunities } from './opportunity-upsert.repository.js'
import { toOpportunityRow } from './opportunity-row.js'
import type { RunContext } from './sync-context.js'
import {
  findDriftedIds,
  forgetReconcileKeys,
  markUnparkedDeleted,
  parkReconcileKeys,
} from './sync-writes.repository.js'

export interface ReconcileReport {
  compared: number
  missedDeletes: number
  refetched: number
}

const ID_CHUNK = 200

export async function reconcile(
  context: RunContext,
  plan: FieldPlan,
  useBulk: boolean,
): Promise<ReconcileReport> {
  const { deps, runId, connectionId, tuning, client } = context
  const keyPages = client.opportunityKeyPages(
    useBulk
      ? {
          method: 'bulk',
          pageSize: tuning.bulkMaxRecords,
          bulk: { pollIntervalMs: tuning.bulkPollIntervalMs, sleep: tuning.sleep },
        }
      : { method: 'rest', pageSize: tuning.batchSize },
  )
  let compared = 0
  for await (const page of keyPages) {
    if (page.records.length === 0) continue
    context.watch.check()
    await parkReconcileKeys(deps.db, runId, page.records)
    compared += page.records.length
    await context.saveProgress()
    context.watch.progressed()
  }

  const missedDeletes = await markUnparkedDeleted(deps.db, connectionId, runId)

  let refetched = 0
  let after = ''
  for (;;) {
    const ids = await findDriftedIds(deps.db, runId, after, ID_CHUNK)
    if (ids.length === 0) break
    after = ids[ids.length - 1] ?? after
    for await (const page of client.opportunitiesByIds(ids, plan, tuning.batchSize)) {
      const rows = page.records.map((record) => toOpportunityRow(record, connectionId, deps.clock.now()))
      context.watch.check()
      const counts = await upsertOpportunities(deps.db, rows)
      refetched += counts.inserted + counts.updated
      context.counters.inserted += counts.inserted
      context.counters.updated += counts.updated
    }
  }
  await forgetReconcileKeys(deps.db, runId)
  context.counters.deleted += missedDeletes
  return { compared, missedDeletes, refetched }
}
