// REST resources other than query: versions, resources, limits, describe, sObject rows, Get Updated / Get
// Deleted (REST API Developer Guide: "Versions", "Resources by Version", "Limits", "Describe Global",
// "sObject Describe", "sObject Rows", "Get Updated", "Get Deleted"; digest §2, §3.1, §4).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { writeRecord } from '../http/format.js'
import type { Org } from '../org/org.js'
import { isValidId } from '../org/ids.js'
import type { RouteGuard } from '../soql/http-glue.js'
import { registerDescribeRoutes } from './describe.js'
import { registerReplicationRoutes } from './replication.js'
import { baseUrl } from './oauth.js'

export const API_VERSIONS = Array.from({ length: 17 }, (_, i) => `${50 + i}.0`)

export function isKnownVersion(version: string): boolean {
  return API_VERSIONS.includes(version)
}

export interface RestDeps {
  org: Org
  guard: RouteGuard
}

type VersionParams = { version: string }

/** Resolves `vXX.X` from the path; answers 404 NOT_FOUND for versions the org does not list. */
export function versionOf(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const raw = (request.params as VersionParams).version
  const version = /^v(\d{2}\.\d)$/.exec(raw)?.[1]
  if (!version || !isKnownVersion(version)) {
    sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
    return undefined
  }
  return version
}

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { org, guard } = deps

  // Versions: no authentication (digest §2.1).
  app.get('/services/data', async (_request, reply) =>
    sendJson(
      reply,
      200,
      API_VERSIONS.map((version) => ({
        label: `Release ${version}`,
        url: `/services/data/v${version}`,
        version,
      })),
    ),
  )

  app.get('/services/data/:version', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version || !(await guard(request, reply))) return reply
    const base = `/services/data/v${version}`
    return sendJson(reply, 200, {
      limits: `${base}/limits`,
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      jobs: `${base}/jobs`,
      identity: `${baseUrl(request)}/id/${org.id}/${org.integrationUserId}`,
    })
  })

  app.get('/services/data/:version/limits', async (request, reply) => {
    if (!versionOf(request, reply) || !(await guard(request, reply))) return reply
    const { limits } = org
    return sendJson(reply, 200, {
      DailyApiRequests: {
        Max: limits.dailyApiRequests,
        Remaining: Math.max(0, limits.dailyApiRequests - limits.apiRequestsUsed),
      },
      DailyBulkV2QueryJobs: {
        Max: limits.dailyBulkQueryJobs,
        Remaining: Math.max(0, limits.dailyBulkQueryJobs - limits.bulkQueryJobsUsed),
      },
      DailyBulkV2QueryFileStorageMB: { Max: 976_562, Remaining: 976_562 },
      DataStorageMB: { Max: 5, Remaining: 5 },
    })
  })

  registerDescribeRoutes(app, deps)
  registerReplicationRoutes(app, deps)
  registerSObjectRowRoutes(app, deps)
}

type RowParams = VersionParams & { object: string; id: string }

function registerSObjectRowRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  const resolve = (request: FastifyRequest, reply: FastifyReply) => {
    const { object } = request.params as RowParams
    const definition = org.records.describeObject(object)
    if (!definition) {
      sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
      return undefined
    }
    return definition.name
  }

  app.get('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version || !(await guard(request, reply))) return reply
    const objectName = resolve(request, reply)
    if (!objectName) return reply
    const { id } = request.params as RowParams
    if (!isValidId(id))
      return sendError(
        reply,
        404,
        'NOT_FOUND',
        'Provided external ID field does not exist or is not accessible: ' + id,
      )
    const record = org.records.findById(objectName, id)
    if (!record || record['IsDeleted'] === true)
      return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
    return reply
      .code(200)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(writeRecord(org, objectName, record, version))
  })

  app.post('/services/data/:version/sobjects/:object', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply)
    if (!objectName) return reply
    const values = checkWritable(org, objectName, request.body, reply, 'create')
    if (!values) return reply
    const missing = ['Name', 'StageName', 'CloseDate'].filter(
      (f) => objectName === 'Opportunity' && (values[f] === undefined || values[f] === null),
    )
    if (missing.length > 0)
      return sendError(
        reply,
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      )
    const record = org.records.insert(objectName, { OwnerId: session.userId, ...values }, session.userId)
    // "sObject Basic Information" POST: 201 {id, success, errors}.
    return sendJson(reply, 201, { id: record['Id'], success: true, errors: [] })
  })

  app.patch('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply)
    if (!objectName) return reply
    const { id } = request.params as RowParams
    if (!isValidId(id))
      return sendError(reply, 400, 'MALFORMED_ID', `${objectName} ID: id value of incorrect type: ${id}`)
    const values = checkWritable(org, objectName, request.body, reply, 'update')
    if (!values) return reply
    if (!org.records.update(objectName, id, values, session.userId))
      return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
    return reply.code(204).send()
  })

  app.delete('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    if (!versionOf(request, reply) || !(await guard(request, reply))) return reply
    const objectName = resolve(request, reply)
    if (!objectName) return reply
    const { id } = request.params as RowParams
    if (!isValidId(id))
      return sendError(reply, 400, 'MALFORMED_ID', `${objectName} ID: id value of incorrect type: ${id}`)
    if (!org.records.softDelete(objectName, id))
      return sendError(reply, 404, 'ENTITY_IS_DELETED', 'entity is deleted')
    return reply.code(204).send()
  })
}

/** Field names and writability as the API checks them: INVALID_FIELD for unknown, INVALID_FIELD_FOR_INSERT_UPDATE for read-only. */
function checkWritable(
  org: Org,
  objectName: string,
  body: unknown,
  reply: FastifyReply,
  mode: 'create' | 'update',
) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object')
    return undefined
  }
  const fields = new Map(org.records.visibleFields(objectName).map((f) => [f.name.toLowerCase(), f]))
  const values: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue
    const definition = fields.get(key.toLowerCase())
    if (!definition) {
      sendError(reply, 400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${objectName}`)
      return undefined
    }
    if (!(mode === 'create' ? definition.createable : definition.updateable)) {
      sendError(
        reply,
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${definition.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [definition.name],
      )
      return undefined
    }
    const stored = definition.type === 'datetime' && typeof value === 'string' ? Date.parse(value) : value
    if (stored !== null && !['string', 'number', 'boolean'].includes(typeof stored)) {
      sendError(reply, 400, 'JSON_PARSER_ERROR', `Cannot deserialize value for field ${definition.name}`)
      return undefined
    }
    values[definition.name] = stored as string | number | boolean | null
  }
  return values
}
