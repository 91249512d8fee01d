// The main step of a run: fetch every Opportunity changed since the high-water mark (or all of them on a full
// sync) and store each page in one transaction that also advances the checkpoint. queryAll is used, so records
// deleted or undeleted since the last run arrive with IsDeleted set and are applied in the same pass.
import { SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import {
  MalformedRecordError,
  toOpportunityRow,
  type FieldPlan,
  type SalesforceRecord,
} from './opportunity-fields.js'
import { upsertOpportunities } from './opportunity-upsert.js'
import { bulkQueryPages, countQuery, prefetchOne, restQueryPages, type Page } from './salesforce-reader.js'
import { soqlDateTime, type RunContext } from './sync-context.js'
import { updateSyncState, type SyncStateRow } from './sync-runs.repository.js'

export interface OpportunityPassResult {
  method: 'rest' | 'bulk'
  total: number
  /** SystemModstamp of the newest record stored (the next high-water mark). */
  newestModstamp: Date | undefined
}

export type AfterPage = (changedIds: string[]) => Promise<void>

export async function syncOpportunityPages(
  context: RunContext,
  state: SyncStateRow,
  plan: FieldPlan,
  options: { full: boolean; afterPage: AfterPage },
): Promise<OpportunityPassResult> {
  const { deps, tuning, connectionId } = context
  const since =
    options.full || !state.high_water_modstamp
      ? undefined
      : new Date(state.high_water_modstamp.getTime() - tuning.overlapMs)
  const where = since ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : ''
  const total = await countQuery(
    context.tracker,
    deps.config.crm.apiVersion,
    `SELECT COUNT() FROM Opportunity${where}`,
  )
  const method = total > state.bulk_threshold ? 'bulk' : 'rest'
  await context.saveProgress({ total, method })
  await context.event(
    'info',
    since
      ? `Fetching ${total} opportunities changed since ${since.toISOString()} (${method === 'bulk' ? 'Bulk API 2.0' : 'REST'}).`
      : `Fetching all ${total} opportunities (${method === 'bulk' ? 'Bulk API 2.0' : 'REST'}).`,
    { total, method, since: since?.toISOString() ?? null },
  )

  // Ordered by SystemModstamp then Id, so the last record of a committed page is a safe resume point.
  const soql = `SELECT ${plan.select.join(', ')} FROM Opportunity${where} ORDER BY SystemModstamp ASC, Id ASC`
  const source: AsyncGenerator<Page> =
    method === 'bulk'
      ? bulkQueryPages(context.tracker, deps.config.crm.apiVersion, soql, {
          includeDeleted: true,
          maxRecords: tuning.bulkMaxRecords,
          pollIntervalMs: tuning.bulkPollIntervalMs,
          sleep: tuning.sleep,
        })
      : restQueryPages(context.tracker, deps.config.crm.apiVersion, soql, {
          includeDeleted: true,
          batchSize: tuning.batchSize,
        })

  let newest: Date | undefined
  let pageNumber = 0
  for await (const page of prefetchOne(source)) {
    pageNumber += 1
    const rows = toRows(page.records, plan, connectionId, deps.clock.now(), pageNumber)
    const last = rows[rows.length - 1]
    const counts = await deps.db.transaction().execute(async (trx) => {
      const result = await upsertOpportunities(trx, rows)
      // Bulk results carry no order guarantee, so only REST pages move the checkpoint page by page;
      // a Bulk run moves it once, at the end (see finishOpportunityPass).
      if (last && method === 'rest') {
        await updateSyncState(trx, connectionId, {
          high_water_modstamp: last.system_modstamp,
          high_water_id: last.id,
        })
      }
      return result
    })
    for (const row of rows) {
      const stamp = new Date(row.system_modstamp)
      if (!newest || stamp > newest) newest = stamp
    }
    context.counters.fetched += rows.length
    context.counters.inserted += counts.inserted
    context.counters.updated += counts.updated
    context.counters.deleted += counts.deleted
    context.counters.unchanged += counts.unchanged
    await context.saveProgress()
    await options.afterPage(counts.changedIds)
  }
  if (method === 'bulk' && newest) {
    await updateSyncState(deps.db, connectionId, { high_water_modstamp: newest, high_water_id: null })
  }
  return { method, total, newestModstamp: newest }
}

function toRows(
  records: SalesforceRecord[],
  plan: FieldPlan,
  connectionId: string,
  now: Date,
  pageNumber: number,
) {
  try {
    return records.map((record) => toOpportunityRow(record, plan, connectionId, now))
  } catch (err) {
    if (err instanceof MalformedRecordError) {
      // Nothing of this page is written; the checkpoint stays on the previous page.
      throw new SalesforceError(
        'bad_response',
        `Page ${pageNumber} held a record that could not be read (${err.message}); nothing from it was saved.`,
        'Run the sync again; if it keeps failing on the same record, check that record in Salesforce.',
      )
    }
    throw err
  }
}
