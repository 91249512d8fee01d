// Bulk API 2.0 query jobs, independent of HTTP. Sources: Bulk API 2.0 and Bulk API Developer Guide —
// query_create_job.htm, query_get_one_job.htm, query_get_all_jobs.htm, query_abort_job.htm, query_delete_job.htm,
// query_get_job_results.htm under https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/). States move UploadComplete → InProgress → JobComplete on their own, after
// configurable delays measured on a wall clock (so polls see the progression even when the org clock is frozen);
// the query runs when the job completes, like a real job that reads the data while InProgress.

import type { SfRecord, SoqlDataSource } from '../org/model.js'
import { compileQuery, type CompiledQuery } from './compile.js'
import { SoqlError } from './errors.js'
import { randomId18 } from './ids.js'
import { runQuery } from './execute.js'
import type { ColumnDelimiter, LineEnding } from './format-csv.js'

export type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted'

export interface BulkQueryJob {
  id: string
  operation: 'query' | 'queryAll'
  query: CompiledQuery
  createdById: string
  /** Org clock, epoch ms. */
  createdDate: number
  systemModstamp: number
  /** Wall clock at creation, for the state progression. */
  startedAt: number
  state: JobState
  apiVersion: string
  lineEnding: LineEnding
  columnDelimiter: ColumnDelimiter
  rows: SfRecord[] | undefined
  totalProcessingTime: number
}

export interface BulkJobOptions {
  ds: SoqlDataSource
  /** Wall clock for state progression (default Date.now). */
  wallClock?: () => number
  /** ms after creation when the job shows InProgress (default 200). */
  inProgressAfterMs?: number
  /** ms after creation when the job is JobComplete (default 600). */
  completeAfterMs?: number
  /** Terminal jobs are deleted after 7 days (Bulk API 2.0 limits, https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_common_limits.htm); the emulator also caps how many jobs it keeps. */
  maxJobs?: number
}

const RETENTION_MS = 7 * 24 * 3600 * 1000

export class BulkJobStore {
  private readonly jobs = new Map<string, BulkQueryJob>()
  private readonly ds: SoqlDataSource
  private readonly wall: () => number
  readonly inProgressAfterMs: number
  readonly completeAfterMs: number
  private readonly maxJobs: number

  constructor(opts: BulkJobOptions) {
    this.ds = opts.ds
    this.wall = opts.wallClock ?? Date.now
    this.inProgressAfterMs = opts.inProgressAfterMs ?? 200
    this.completeAfterMs = Math.max(opts.completeAfterMs ?? 600, this.inProgressAfterMs)
    this.maxJobs = opts.maxJobs ?? 500
  }

  /** Validates the SOQL for a query job (SoqlError on failure, including what Bulk API 2.0 does not support). */
  prepare(soql: string): CompiledQuery {
    const query = compileQuery(soql, this.ds)
    // Bulk API 2.0 rejects COUNT() and OFFSET (query_create_job.htm "SOQL Considerations"); code/text UNCONFIRMED.
    if (query.isCount || query.aggregate)
      throw new SoqlError('MALFORMED_QUERY', 'Aggregate queries are not supported by Bulk API 2.0 query jobs')
    // Parent-to-child subqueries are not supported either (same page); code/text UNCONFIRMED.
    if (query.children.length > 0)
      throw new SoqlError(
        'MALFORMED_QUERY',
        'Relationship subqueries are not supported by Bulk API 2.0 query jobs',
      )
    if (query.offset !== undefined)
      throw new SoqlError('MALFORMED_QUERY', 'OFFSET is not supported by Bulk API 2.0 query jobs')
    return query
  }

  create(input: {
    operation: 'query' | 'queryAll'
    query: CompiledQuery
    createdById: string
    apiVersion: string
    lineEnding: LineEnding
    columnDelimiter: ColumnDelimiter
  }): BulkQueryJob {
    const { query } = input
    this.purge()
    const now = this.ds.now()
    const job: BulkQueryJob = {
      id: randomId18('750'),
      operation: input.operation,
      query,
      createdById: input.createdById,
      createdDate: now,
      systemModstamp: now,
      startedAt: this.wall(),
      state: 'UploadComplete',
      apiVersion: input.apiVersion,
      lineEnding: input.lineEnding,
      columnDelimiter: input.columnDelimiter,
      rows: undefined,
      totalProcessingTime: 0,
    }
    this.jobs.set(job.id, job)
    return job
  }

  /** The job with its state brought up to date, or undefined (→ 404). */
  get(id: string): BulkQueryJob | undefined {
    const job = this.jobs.get(id)
    if (job) this.advance(job)
    return job
  }

  list(): BulkQueryJob[] {
    return [...this.jobs.values()].map((j) => {
      this.advance(j)
      return j
    })
  }

  abort(job: BulkQueryJob): void {
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
      // Only unfinished jobs can be aborted (query_abort_job.htm); code/text UNCONFIRMED.
      throw new SoqlError('MALFORMED_QUERY', `Job in state ${job.state} cannot be aborted`)
    }
    job.state = 'Aborted'
    job.systemModstamp = this.ds.now()
  }

  delete(id: string): boolean {
    return this.jobs.delete(id)
  }

  /** For fault injection by the control API: the job ends as Failed (a failed query job carries no message). */
  fail(job: BulkQueryJob): void {
    job.state = 'Failed'
    job.systemModstamp = this.ds.now()
  }

  private advance(job: BulkQueryJob): void {
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return
    const elapsed = this.wall() - job.startedAt
    if (elapsed >= this.completeAfterMs) {
      const t0 = this.wall()
      job.rows = runQuery(job.query, this.ds, { includeDeleted: job.operation === 'queryAll' })
      job.totalProcessingTime = Math.max(1, this.wall() - t0)
      job.state = 'JobComplete'
      job.systemModstamp = this.ds.now()
    } else if (elapsed >= this.inProgressAfterMs && job.state === 'UploadComplete') {
      job.state = 'InProgress'
      job.systemModstamp = this.ds.now()
    }
  }

  private purge(): void {
    const now = this.ds.now()
    for (const job of this.jobs.values()) {
      const terminal = job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted'
      if (terminal && now - job.systemModstamp > RETENTION_MS) this.jobs.delete(job.id)
    }
    while (this.jobs.size >= this.maxJobs) {
      const oldest = this.jobs.keys().next().value as string
      this.jobs.delete(oldest)
    }
  }
}

/** Locators are opaque; v49+ returns strings like `MTAwMDA` (base64 of "10000"), so the offset is encoded that way. */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '')
}

export function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString('utf8')
  return /^\d+$/.test(text) ? Number(text) : undefined
}
