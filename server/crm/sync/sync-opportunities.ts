// The main step of a run: fetch every Opportunity changed since the high-water mark (or all of them on a full
// sync) and store each page in one transaction that also advances the checkpoint. queryAll is used, so records
// deleted or undeleted since the last run arrive with IsDeleted set and are applied in the same pass.
import type { Updateable } from 'kysely'

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
import type { CrmSyncStateTable } from '../../storage/database.js'
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
  // A Bulk job an interrupted run left for this very query is read on from its last committed page.
  const resume =
    method === 'bulk' && state.bulk_job_id && state.bulk_job_soql === soql
      ? { jobId: state.bulk_job_id, locator: state.bulk_locator }
      : undefined
  let newest: Date | undefined = resume ? (state.bulk_newest_modstamp ?? undefined) : undefined
  let resuming = resume !== undefined
  const source: AsyncGenerator<Page> =
    method === 'bulk'
      ? bulkQueryPages(context.tracker, deps.config.crm.apiVersion, soql, {
          includeDeleted: true,
          maxRecords: tuning.bulkMaxRecords,
          pollIntervalMs: tuning.bulkPollIntervalMs,
          sleep: tuning.sleep,
          resume,
          onJobCreated: async (jobId) => {
            // Also when the interrupted run's job was gone (deleted after 7 days, or failed): a fresh export.
            resuming = false
            newest = undefined
            await updateSyncState(deps.db, connectionId, {
              bulk_job_id: jobId,
              bulk_job_soql: soql,
              bulk_locator: null,
              bulk_newest_modstamp: null,
            })
          },
        })
      : restQueryPages(context.tracker, deps.config.crm.apiVersion, soql, {
          includeDeleted: true,
          batchSize: tuning.batchSize,
        })

  let pageNumber = 0
  for await (const page of prefetchOne(source)) {
    pageNumber += 1
    if (resuming && resume && pageNumber === 1) await announceResume(context, resume.jobId, newest)
    const rows = toRows(page.records, plan, connectionId, deps.clock.now(), pageNumber)
    for (const row of rows) {
      const stamp = new Date(row.system_modstamp)
      if (!newest || stamp > newest) newest = stamp
    }
    const counts = await deps.db.transaction().execute(async (trx) => {
      const result = await upsertOpportunities(trx, rows)
      await updateSyncState(trx, connectionId, checkpointAfter(page, rows, method, newest))
      return result
    })
    context.counters.fetched += rows.length
    context.counters.inserted += counts.inserted
    context.counters.updated += counts.updated
    context.counters.deleted += counts.deleted
    context.counters.unchanged += counts.unchanged
    await context.saveProgress()
    await options.afterPage(counts.changedIds)
  }
  // A REST pass covered what an abandoned Bulk job would have brought; that job must not be resumed later.
  if (method === 'rest' && state.bulk_job_id) {
    await updateSyncState(deps.db, connectionId, NO_BULK_JOB)
  }
  return { method, total, newestModstamp: newest }
}

/**
 * What a committed page moves, in the page's own transaction. REST pages arrive ordered, so the page's last
 * record is the checkpoint. Bulk results carry no order: the run keeps its job's locator and the newest stamp
 * seen, and only the last page moves the high-water mark (to that newest stamp) and forgets the job.
 */
function checkpointAfter(
  page: Page,
  rows: ReadonlyArray<{ id: string; system_modstamp: string | Date }>,
  method: 'rest' | 'bulk',
  newest: Date | undefined,
): Updateable<CrmSyncStateTable> {
  const last = rows[rows.length - 1]
  if (method === 'rest')
    return last ? { high_water_modstamp: last.system_modstamp, high_water_id: last.id } : {}
  if (page.nextLocator) return { bulk_locator: page.nextLocator, bulk_newest_modstamp: newest ?? null }
  return { ...(newest ? { high_water_modstamp: newest, high_water_id: null } : {}), ...NO_BULK_JOB }
}

const NO_BULK_JOB = {
  bulk_job_id: null,
  bulk_job_soql: null,
  bulk_locator: null,
  bulk_newest_modstamp: null,
} satisfies Updateable<CrmSyncStateTable>

async function announceResume(context: RunContext, jobId: string, newest: Date | undefined): Promise<void> {
  await context.event(
    'info',
    `Resuming Bulk API job ${jobId} where the interrupted run stopped, instead of exporting everything again.`,
    { jobId, newestStored: newest?.toISOString() ?? null },
  )
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
