// Bulk API 2.0 query jobs over HTTP (Bulk API 2.0 Developer Guide: query_create_job.htm, query_get_one_job.htm,
// query_get_all_jobs.htm, query_abort_job.htm, query_delete_job.htm, query_get_job_results.htm under
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/). The job logic lives in emulator/soql/bulk-jobs.ts; this file maps it to requests and replies.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { versionOf } from '../http/versions.js'
import type { SoqlDataSource } from '../org/model.js'
import { BulkJobStore, decodeLocator, encodeLocator, type BulkQueryJob } from '../soql/bulk-jobs.js'
import { SoqlError } from '../soql/errors.js'
import { compileCsvWriter } from '../soql/format-csv.js'
import { formatDatetime } from '../soql/format-json.js'
import { sendJsonText, sendSalesforceError, type RouteGuard } from '../soql/http-glue.js'

export interface Bulk2RouteDeps {
  data: SoqlDataSource
  guard: RouteGuard
  jobs?: BulkJobStore
  /** Counts a created query job against DailyBulkV2QueryJobs; returns false when the daily allocation is used up. */
  countBulkQueryJob?: () => boolean
}

/** Rows per results page when the client sends no maxRecords ("as many rows as can be listed"; our cap UNCONFIRMED). */
export const DEFAULT_MAX_RECORDS = 100_000

const createBody = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  contentType: z.literal('CSV').optional(),
  columnDelimiter: z.enum(['BACKQUOTE', 'CARET', 'COMMA', 'PIPE', 'SEMICOLON', 'TAB']).optional(),
  lineEnding: z.enum(['LF', 'CRLF']).optional(),
})

interface JobRequest {
  Params: { version: string; jobId?: string }
  Querystring: { locator?: string; maxRecords?: string }
  Body: unknown
}

const NOT_FOUND = 'The requested resource does not exist'

export function registerBulk2Routes(app: FastifyInstance, deps: Bulk2RouteDeps): BulkJobStore {
  const jobs = deps.jobs ?? new BulkJobStore({ ds: deps.data })

  /** Version check (jobs/query exists since API 47.0), then auth; returns the version or undefined after replying. */
  const enter = async (request: FastifyRequest<JobRequest>, reply: FastifyReply) => {
    const version = versionOf(request, reply, 47)
    if (!version) return undefined
    const session = await deps.guard(request, reply)
    return session ? { version, userId: session.userId } : undefined
  }
  const findJob = (request: FastifyRequest<JobRequest>, reply: FastifyReply): BulkQueryJob | undefined => {
    const job = jobs.get(request.params.jobId ?? '')
    if (!job) sendSalesforceError(reply, 404, 'NOT_FOUND', NOT_FOUND)
    return job
  }

  app.post<JobRequest>('/services/data/:version/jobs/query', async (request, reply) => {
    const ctx = await enter(request, reply)
    if (!ctx) return reply
    const body = createBody.safeParse(request.body)
    if (!body.success) {
      // Error code for an invalid job definition; UNCONFIRMED.
      const issue = body.error.issues[0]
      return sendSalesforceError(
        reply,
        400,
        'INVALIDJOB',
        `Invalid job: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      )
    }
    let query
    try {
      query = jobs.prepare(body.data.query)
    } catch (err) {
      return sendSalesforceError(reply, err)
    }
    if (deps.countBulkQueryJob && !deps.countBulkQueryJob()) {
      // Daily allocation of 10,000 query jobs (bulk_api_2_limits.htm); wording modelled on the REST one, UNCONFIRMED.
      return sendSalesforceError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'DailyBulkV2QueryJobs Limit exceeded.')
    }
    const job = jobs.create({
      operation: body.data.operation,
      query,
      createdById: ctx.userId,
      apiVersion: ctx.version,
      lineEnding: body.data.lineEnding ?? 'LF',
      columnDelimiter: body.data.columnDelimiter ?? 'COMMA',
    })
    return sendJsonText(reply, JSON.stringify(jobInfo(job, 'create')))
  })

  app.get<JobRequest>('/services/data/:version/jobs/query', async (request, reply) => {
    if (!(await enter(request, reply))) return reply
    // query_get_all_jobs.htm: {done, records, nextRecordsUrl}; up to 1,000 per page there, all at once here.
    const records = jobs.list().map((j) => jobInfo(j, 'list'))
    return sendJsonText(reply, JSON.stringify({ done: true, records, nextRecordsUrl: null }))
  })

  app.get<JobRequest>('/services/data/:version/jobs/query/:jobId', async (request, reply) => {
    if (!(await enter(request, reply))) return reply
    const job = findJob(request, reply)
    return job ? sendJsonText(reply, JSON.stringify(jobInfo(job, 'get'))) : reply
  })

  app.patch<JobRequest>('/services/data/:version/jobs/query/:jobId', async (request, reply) => {
    if (!(await enter(request, reply))) return reply
    const job = findJob(request, reply)
    if (!job) return reply
    const state = (request.body as { state?: unknown } | undefined)?.state
    if (state !== 'Aborted') {
      // Query jobs accept only {"state": "Aborted"} (query_abort_job.htm); code UNCONFIRMED.
      return sendSalesforceError(reply, 400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`)
    }
    try {
      jobs.abort(job)
    } catch (err) {
      if (err instanceof SoqlError) return sendSalesforceError(reply, 400, 'INVALIDJOBSTATE', err.message)
      throw err
    }
    return sendJsonText(reply, JSON.stringify(jobInfo(job, 'create')))
  })

  app.delete<JobRequest>('/services/data/:version/jobs/query/:jobId', async (request, reply) => {
    if (!(await enter(request, reply))) return reply
    if (!jobs.delete(request.params.jobId ?? ''))
      return sendSalesforceError(reply, 404, 'NOT_FOUND', NOT_FOUND)
    return reply.code(204).send()
  })

  app.get<JobRequest>('/services/data/:version/jobs/query/:jobId/results', async (request, reply) => {
    const ctx = await enter(request, reply)
    if (!ctx) return reply
    const job = findJob(request, reply)
    if (!job) return reply
    if (job.apiVersion !== ctx.version) {
      // "Use the same API version to get query results that you used to create the query. Otherwise, the call
      // returns a 409 error." (query_get_job_results.htm); errorCode and text UNCONFIRMED.
      return sendSalesforceError(
        reply,
        409,
        'API_VERSION_MISMATCH',
        `Job ${job.id} was created with API version ${job.apiVersion}`,
      )
    }
    if (job.state !== 'JobComplete' || !job.rows) {
      // Older guides (v47–v50) show 412 JOB_NOT_COMPLETE with this text; the current status code is UNCONFIRMED.
      return sendSalesforceError(
        reply,
        412,
        'JOB_NOT_COMPLETE',
        `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${stateConstant(job)}`,
      )
    }
    const offset = request.query.locator === undefined ? 0 : decodeLocator(request.query.locator)
    const max =
      request.query.maxRecords === undefined ? DEFAULT_MAX_RECORDS : Number(request.query.maxRecords)
    if (offset === undefined || offset > job.rows.length || !Number.isInteger(max) || max < 1) {
      return sendSalesforceError(reply, 400, 'INVALIDREQUEST', 'Invalid locator or maxRecords') // UNCONFIRMED
    }
    const end = Math.min(job.rows.length, offset + max)
    const csv = compileCsvWriter(job.query.columns, job.columnDelimiter, job.lineEnding)
    let body = csv.header
    for (let i = offset; i < end; i++) body += csv.row(job.rows[i] as never)
    return reply
      .code(200)
      .header('content-type', 'text/csv')
      .header('sforce-numberofrecords', String(end - offset))
      .header('sforce-locator', end < job.rows.length ? encodeLocator(end) : 'null')
      .send(body)
  })

  return jobs
}

function stateConstant(job: BulkQueryJob): string {
  return job.state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
}

/** Job info JSON (query_create_job.htm response; GET adds jobType and the processing counters). */
function jobInfo(job: BulkQueryJob, detail: 'create' | 'list' | 'get'): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.query.object.name,
    createdById: job.createdById,
    createdDate: formatDatetime(job.createdDate),
    systemModstamp: formatDatetime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  }
  if (detail === 'create') return info
  if (detail === 'list') return { ...info, jobType: 'V2Query' }
  return {
    ...info,
    jobType: 'V2Query',
    numberRecordsProcessed: job.state === 'JobComplete' ? (job.rows?.length ?? 0) : 0,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    isPkChunkingSupported: job.query.order.length === 0 && job.query.limit === undefined,
  }
}
