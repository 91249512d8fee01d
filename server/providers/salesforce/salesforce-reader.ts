// Reading records page by page, never the whole result: REST query with nextRecordsUrl paging, or a Bulk API 2.0
// query job whose CSV results we page with Sforce-Locator ourselves (jsforce 3.10.16's bulk2.query ends the
// process with ERR_STREAM_WRITE_AFTER_END on a result of more than one page).
import { HttpApi } from '@jsforce/jsforce-node/lib/http-api.js'
import { parse as parseCsv } from 'csv-parse/sync'

import type { BulkReadOptions, Page } from '../crm-provider.js'
import type { CallTracker } from './call-tracker.js'
import type { SalesforceRecord } from './opportunity-fields.js'
import { isSalesforceError, SalesforceError } from './salesforce-errors.js'

export type RawPage = Page<SalesforceRecord>

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
  options: { includeDeleted: boolean; batchSize?: number | undefined },
): AsyncGenerator<RawPage> {
  let url: string | undefined =
    `/services/data/v${apiVersion}/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`
  // Without it Salesforce pages by 2,000 rows, its default.
  const headers: Record<string, string> =
    options.batchSize === undefined ? {} : { 'Sforce-Query-Options': `batchSize=${options.batchSize}` }
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

export interface BulkOptions extends BulkReadOptions {
  includeDeleted: boolean
  maxRecords: number
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
): AsyncGenerator<RawPage> {
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
 * and "Bulk API 2.0 Limits", https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_common_limits.htm).
 * A deleted job answers 404 NOT_FOUND: then the
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
