// Reading records page by page, never the whole result: REST query with nextRecordsUrl paging, or a Bulk API 2.0
// query job whose CSV results we page with Sforce-Locator ourselves (jsforce 3.10's bulk2.query crashes on
// multi-page results, see shared/reference/node20-dependencies.md).
import { HttpApi } from '@jsforce/jsforce-node/lib/http-api.js'
import { parse as parseCsv } from 'csv-parse/sync'

import { isSalesforceError, SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { CallTracker } from './salesforce-calls.js'
import type { SalesforceRecord } from './opportunity-fields.js'

export interface Page {
  records: SalesforceRecord[]
  /** Total rows of the whole query, as Salesforce reports it. */
  totalSize: number | undefined
  /** Bulk only: the locator of the page after this one, undefined after the last page. */
  nextLocator?: string | undefined
}

interface QueryResult {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: SalesforceRecord[]
}

const isQueryResult = (body: unknown): body is QueryResult =>
  typeof body === 'object' &&
  body !== null &&
  Array.isArray((body as QueryResult).records) &&
  typeof (body as QueryResult).done === 'boolean'

/**
 * REST API "Execute a SOQL Query" / "Retrieve the Remaining SOQL Query Results": the first page from
 * /query (or /queryAll), then nextRecordsUrl until done. `Sforce-Query-Options: batchSize` asks for 200–2000 rows.
 */
export async function* restQueryPages(
  tracker: CallTracker,
  apiVersion: string,
  soql: string,
  options: { includeDeleted: boolean; batchSize: number },
): AsyncGenerator<Page> {
  let url: string | undefined =
    `/services/data/v${apiVersion}/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`
  const headers = { 'Sforce-Query-Options': `batchSize=${options.batchSize}` }
  while (url) {
    const pageUrl: string = url
    const body = await tracker.call(
      'a query page',
      (api) => api.request<QueryResult>({ method: 'GET', url: pageUrl, headers }),
      isQueryResult,
    )
    yield { records: body.records, totalSize: body.totalSize }
    url = body.done ? undefined : body.nextRecordsUrl
  }
}

/** `SELECT COUNT() FROM …` → totalSize. */
export async function countQuery(tracker: CallTracker, apiVersion: string, soql: string): Promise<number> {
  const url = `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`
  const body = await tracker.call('a COUNT() query', (api) => api.request<QueryResult>(url), isQueryResult)
  return body.totalSize
}

interface BulkJob {
  id: string
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted'
  errorMessage?: string
  numberRecordsProcessed?: number
}

const isBulkJob = (body: unknown): body is BulkJob =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as BulkJob).id === 'string' &&
  typeof (body as BulkJob).state === 'string'

export interface BulkOptions {
  includeDeleted: boolean
  maxRecords: number
  pollIntervalMs: number
  sleep: (ms: number) => Promise<void>
  onJobState?: (state: string) => void
  /** A job an interrupted run left, to be read on from `locator` (null: its first page). */
  resume?: { jobId: string; locator: string | null } | undefined
  /** Called once a new job exists (not for a resumed one), before any of its pages is read. */
  onJobCreated?: (jobId: string) => Promise<void>
}

/**
 * Bulk API 2.0 query (Bulk API 2.0 Developer Guide "Query Jobs"): create the job, poll until JobComplete, then
 * GET /results?maxRecords=N&locator=L until the Sforce-Locator header is the literal string "null".
 */
export async function* bulkQueryPages(
  tracker: CallTracker,
  apiVersion: string,
  soql: string,
  options: BulkOptions,
): AsyncGenerator<Page> {
  const base = `/services/data/v${apiVersion}/jobs/query`
  const resumed = options.resume ? await findResumableJob(tracker, base, options.resume.jobId) : undefined
  let job =
    resumed ??
    (await tracker.call(
      'creating the Bulk API query job',
      (api) =>
        api.requestPost<BulkJob>(base, {
          operation: options.includeDeleted ? 'queryAll' : 'query',
          query: soql,
        }),
      isBulkJob,
    ))
  if (!resumed) await options.onJobCreated?.(job.id)
  while (job.state !== 'JobComplete') {
    if (job.state === 'Failed' || job.state === 'Aborted') {
      throw new SalesforceError(
        'server_error',
        `The Bulk API query job ${job.id} ended ${job.state}: ${job.errorMessage ?? 'no reason given'}.`,
        'Salesforce could not run the export; the next run tries again. Setup > Bulk Data Load Jobs shows the job.',
      )
    }
    options.onJobState?.(job.state)
    await options.sleep(options.pollIntervalMs)
    job = await tracker.call(
      'polling the Bulk API query job',
      (api) => api.request<BulkJob>(`${base}/${job.id}`),
      isBulkJob,
    )
  }
  let locator: string | undefined = (resumed && options.resume?.locator) || undefined
  let total = job.numberRecordsProcessed
  do {
    const query = new URLSearchParams({
      maxRecords: String(options.maxRecords),
      ...(locator ? { locator } : {}),
    })
    const page = await tracker.call('a Bulk API results page', (api) =>
      fetchCsvPage(api, `${api.instanceUrl}${base}/${job.id}/results?${query.toString()}`),
    )
    yield { records: page.records, totalSize: total, nextLocator: page.locator }
    total = undefined
    locator = page.locator
  } while (locator)
}

/**
 * The interrupted run's job, if Salesforce still has it and it did not fail. A locator stays valid while its job
 * exists, and terminal jobs are deleted after 7 days (Bulk API 2.0 Developer Guide, "Get Results for a Query Job"
 * and "Bulk API 2.0 Limits"; shared/reference/salesforce-api.md §5). A deleted job answers 404 NOT_FOUND: then the
 * run starts a new job, which costs API calls but loses nothing.
 */
async function findResumableJob(
  tracker: CallTracker,
  base: string,
  jobId: string,
): Promise<BulkJob | undefined> {
  try {
    const job = await tracker.call(
      'checking the interrupted Bulk API query job',
      (api) => api.request<BulkJob>(`${base}/${jobId}`),
      isBulkJob,
    )
    return job.state === 'Failed' || job.state === 'Aborted' ? undefined : job
  } catch (err) {
    if (isSalesforceError(err, 'not_found')) return undefined
    throw err
  }
}

async function fetchCsvPage(
  api: CallTracker['api'],
  url: string,
): Promise<{ records: SalesforceRecord[]; locator: string | undefined }> {
  // An HttpApi of the connection: authenticated, session refresh included, and we see the response headers.
  const http = new HttpApi(api, { responseType: 'text/plain' })
  let headers: Record<string, string> = {}
  http.on('response', (response: { headers: Record<string, string> }) => {
    headers = response.headers
  })
  const body: unknown = await http.request({ method: 'GET', url })
  if (typeof body !== 'string')
    throw new SalesforceError('bad_response', 'The Bulk API results were not CSV text.', 'The sync retries.')
  const expected = Number(headers['sforce-numberofrecords'])
  let records: SalesforceRecord[]
  try {
    records = parseCsv<SalesforceRecord>(body, {
      columns: true,
      skip_empty_lines: true,
      relax_quotes: false,
    })
  } catch {
    throw new SalesforceError(
      'bad_response',
      'A Bulk API results page was cut off or malformed.',
      'Usually a network interruption; the sync retries.',
    )
  }
  if (Number.isFinite(expected) && records.length !== expected) {
    throw new SalesforceError(
      'bad_response',
      `A Bulk API results page held ${records.length} rows but announced ${expected}.`,
      'Usually a network interruption; the sync retries.',
    )
  }
  const locator = headers['sforce-locator']
  return { records, locator: locator && locator !== 'null' ? locator : undefined }
}

/**
 * Asks for the next page as soon as the current one is handed out, so fetching page N+1 from Salesforce
 * overlaps with storing page N. At most one page waits in memory.
 */
export async function* prefetchOne<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next()
  for (;;) {
    const current = await next
    if (current.done) return
    next = source.next()
    // An error of the prefetched page surfaces when it is awaited, not as an unhandled rejection.
    next.catch(() => undefined)
    yield current.value
  }
}
