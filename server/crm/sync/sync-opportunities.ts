// The main step of a run: fetch every Opportunity changed since the high-water mark (or all of them on a full
// sync) and store each page in one transaction that also advances the checkpoint. queryAll is used, so records
// deleted or undeleted since the last run arrive with IsDeleted set and are applied in the same pass.
import type { Updateable } from 'kysely'

import {
  MalformedRecordError,
  type FieldPlan,
  type OpportunityRecord,
  type Page,
} from '../../providers/crm-provider.js'
import { SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import { recordPageChanges } from '../feed/timeline.js'
import type { CrmSyncStateTable } from '../../storage/database.js'
import { upsertOpportunities } from './opportunity-upsert.repository.js'
import { toOpportunityRow } from './opportunity-row.js'
import { prefetchOne } from './prefetch.js'
import type { RunContext } from './sync-context.js'
import { RunStopped } from './run-watch.js'
import { recordPage, updateSyncState, type SyncStateRow } from './sync-runs.repository.js'

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
  /** history: write the change timeline (not on a connection's first full sync). */
  options: { full: boolean; resumeFull?: boolean; history: boolean; afterPage: AfterPage },
): Promise<OpportunityPassResult> {
  const { deps, tuning, connectionId, client } = context
  const since =
    (options.full && !options.resumeFull) || !state.high_water_modstamp
      ? undefined
      : new Date(state.high_water_modstamp.getTime() - tuning.overlapMs)
  const total = await client.countOpportunities(since)
  const method = total > state.bulk_threshold ? 'bulk' : 'rest'
  await context.saveProgress({ total, method })
  await context.event(
    'info',
    since && options.full
      ? `Resuming the unfinished full sync from its last saved page: fetching the ${total} opportunities from ${since.toISOString()} on (${method === 'bulk' ? 'Bulk API 2.0' : 'REST'}).`
      : since
        ? `Fetching ${total} opportunities changed since ${since.toISOString()} (${method === 'bulk' ? 'Bulk API 2.0' : 'REST'}).`
        : `Fetching all ${total} opportunities (${method === 'bulk' ? 'Bulk API 2.0' : 'REST'}).`,
    // `dates`: the moments the message names, which the Sync Log shows in the reader's locale (event-parts.ts).
    { total, method, since: since?.toISOString() ?? null, dates: since ? [since.toISOString()] : [] },
  )

  const soql = client.describeOpportunityRead({ plan, since })
  // A Bulk job an interrupted run left for this very query is read on from its last committed page.
  const resume =
    method === 'bulk' && state.bulk_job_id && state.bulk_job_soql === soql
      ? { jobId: state.bulk_job_id, locator: state.bulk_locator }
      : undefined
  let newest: Date | undefined = resume ? (state.bulk_newest_modstamp ?? undefined) : undefined
  let resuming = resume !== undefined
  const source = client.opportunityPages({
    plan,
    since,
    method,
    pageSize: method === 'bulk' ? tuning.bulkMaxRecords : tuning.batchSize,
    bulk: {
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
    },
  })

  let pageNumber = 0
  for await (const page of readable(prefetchOne(source), () => pageNumber + 1)) {
    pageNumber += 1
    if (resuming && resume && pageNumber === 1) await announceResume(context, resume.jobId, newest)
    const rows = page.records.map((record) => toOpportunityRow(record, connectionId, deps.clock.now()))
    for (const row of rows) {
      const stamp = new Date(row.system_modstamp)
      if (!newest || stamp > newest) newest = stamp
    }
    // A run stopped while this page was on its way (stalled, or ended by another process) writes nothing more.
    context.watch.check()
    const counts = await deps.db.transaction().execute(async (trx) => {
      const result = await upsertOpportunities(trx, rows, {
        beforeWrite: options.history ? (page) => recordPageChanges(deps, page) : undefined,
      })
      await updateSyncState(trx, connectionId, checkpointAfter(page, rows, method, newest))
      // The page's progress, only while the run is still running: one ended meanwhile by another process
      // (found dead) rolls its page back and stops.
      if (!(await recordPage(trx, context.runId, pageNumber, deps.clock.now())))
        throw new RunStopped('lost', 'Another process ended this run (it had stopped reporting).')
      return result
    })
    context.watch.progressed()
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
  page: Page<OpportunityRecord>,
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

/** Pages as they come; a record that could not be read fails its page, of which nothing is written. */
async function* readable<T>(
  pages: AsyncGenerator<Page<T>>,
  pageNumber: () => number,
): AsyncGenerator<Page<T>> {
  try {
    yield* pages
  } catch (err) {
    if (err instanceof MalformedRecordError) {
      // The checkpoint stays on the previous page.
      throw new SalesforceError(
        'bad_response',
        `Page ${pageNumber()} held a record that could not be read (${err.message}); nothing from it was saved.`,
        'Run the sync again; if it keeps failing on the same record, check that record in Salesforce.',
      )
    }
    throw err
  }
}
