// sObject Collections: up to 200 records per call, each answered on its own (REST API Developer Guide):
// * create  POST   /composite/sobjects {allOrNone, records:[{attributes:{type}, …}]}
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
// * update  PATCH  /composite/sobjects {allOrNone, records:[{attributes:{type}, id, …}]}
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
// * delete  DELETE /composite/sobjects?ids=a,b[&allOrNone=true]
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_delete.htm
// * retrieve GET /composite/sobjects/{type}?ids=&fields= or POST /composite/sobjects/{type} {ids, fields}: the
//   records in the order asked, null for an id that matches none
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_retrieve.htm
// A well-formed request is 200 with one result per record, in order: {id, success: true, errors: []}, or
// {success: false, errors: [{statusCode, message, fields}]} (id only when known). With allOrNone=true one failure
// rolls back all: the others answer ALL_OR_NONE_OPERATION_ROLLED_BACK "Record rolled back because not all records
// were valid and the request was using AllOrNone header" (the pages' examples). A request that is not well formed
// is 400 with the usual error array. Undocumented, so UNCONFIRMED: the codes for more than 200 records
// (EXCEEDED_ID_LIMIT), a record without attributes.type (INVALID_TYPE), an Id on create (INVALID_FIELD "cannot
// specify Id in an insert call"), no id on update (MISSING_ARGUMENT "Id not specified in an update call"), a
// setup object (INSUFFICIENT_ACCESS_OR_READONLY) and an id of no record (INVALID_CROSS_REFERENCE_KEY). Validation
// rules (control API) are checked per record, as on sObject Rows.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { writeRecord } from '../http/format.js'
import type { RestDeps } from '../http/guard.js'
import { canReadObject } from '../http/object-access.js'
import { versionOf } from '../http/versions.js'
import { isValidId } from '../org/ids.js'
import type { SfRecord } from '../org/model.js'
import type { Org } from '../org/org.js'
import { evaluateRules } from '../org/validation-rules.js'
import {
  READ_ONLY_OBJECTS,
  checkWrite,
  lookupForWrite,
  selectedFields,
  withDefaultOwner,
} from './sobject-values.js'

const MAX_RECORDS = 200

interface ItemError {
  statusCode: string
  message: string
  fields: string[]
}
type Outcome = { ok: true; id: string; apply: () => void } | { ok: false; id?: string; error: ItemError }
type Result = { id?: string; success: boolean; errors: ItemError[] }

const itemError = (statusCode: string, message: string, fields: string[] = []): ItemError => ({
  statusCode,
  message,
  fields,
})

const ROLLED_BACK = itemError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
)

/** Checks every item first, then writes: with allOrNone nothing is written unless all pass. */
function run(outcomes: Outcome[], allOrNone: boolean): Result[] {
  const failed = outcomes.some((o) => !o.ok)
  if (allOrNone && failed)
    return outcomes.map((o) =>
      o.ok
        ? { ...(o.id ? { id: o.id } : {}), success: false, errors: [ROLLED_BACK] }
        : { ...(o.id ? { id: o.id } : {}), success: false, errors: [o.error] },
    )
  return outcomes.map((o) => {
    if (!o.ok) return { ...(o.id ? { id: o.id } : {}), success: false, errors: [o.error] }
    o.apply()
    return { id: o.id, success: true, errors: [] }
  })
}

/** An object the user may write, or the item error for the type. */
function writableType(org: Org, userId: string, type: unknown): string | ItemError {
  const definition = typeof type === 'string' ? org.records.describeObject(type) : undefined
  if (!definition || !canReadObject(org, userId, definition.name))
    return itemError('INVALID_TYPE', `sObject type '${String(type)}' is not supported.`)
  if (READ_ONLY_OBJECTS.has(definition.name))
    return itemError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object')
  return definition.name
}

function splitRecord(raw: unknown): { type: unknown; id: unknown; body: Record<string, unknown> } {
  const { attributes, id, Id, ...body } = (raw ?? {}) as Record<string, unknown>
  return { type: (attributes as { type?: unknown } | undefined)?.type, id: id ?? Id, body }
}

function toItemError(error: { errorCode: string; message: string; fields?: string[] }): ItemError {
  return itemError(error.errorCode, error.message, error.fields ?? [])
}

export function registerCollectionRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  /** Version, session and the records array; undefined after replying 400 for a body that is not well formed. */
  const enter = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!versionOf(request, reply)) return undefined
    const session = await guard(request, reply)
    if (!session) return undefined
    const body = (request.body ?? {}) as { allOrNone?: unknown; records?: unknown }
    if (!Array.isArray(body.records)) {
      sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must contain a records array')
      return undefined
    }
    if (body.records.length > MAX_RECORDS) {
      sendError(
        reply,
        400,
        'EXCEEDED_ID_LIMIT',
        `Cannot process more than ${MAX_RECORDS} records in one call`,
      )
      return undefined
    }
    if (body.records.some((r) => typeof splitRecord(r).type !== 'string')) {
      sendError(reply, 400, 'INVALID_TYPE', 'Each record needs attributes.type')
      return undefined
    }
    return { userId: session.userId, records: body.records as unknown[], allOrNone: body.allOrNone === true }
  }

  /** The first validation rule (control API) the record as saved breaks, as the item's error. */
  const ruleBroken = (objectName: string, saved: SfRecord): ItemError | undefined => {
    const today = new Date(org.now()).toISOString().slice(0, 10)
    const failed = evaluateRules(org.records.validationRules, objectName, saved, today)
    return failed ? toItemError(failed) : undefined
  }

  /** Create and update share the body, the per-record type check and the answer; `decide` checks one record. */
  const saveRoute = (
    method: 'POST' | 'PATCH',
    decide: (userId: string, objectName: string, id: unknown, body: Record<string, unknown>) => Outcome,
  ) =>
    app.route({
      method,
      url: '/services/data/:version/composite/sobjects',
      handler: async (request, reply) => {
        const ctx = await enter(request, reply)
        if (!ctx) return reply
        const outcomes = ctx.records.map((raw): Outcome => {
          const { type, id, body } = splitRecord(raw)
          const objectName = writableType(org, ctx.userId, type)
          return typeof objectName === 'string'
            ? decide(ctx.userId, objectName, id, body)
            : { ok: false, error: objectName }
        })
        return sendJson(reply, 200, run(outcomes, ctx.allOrNone))
      },
    })

  saveRoute('POST', (userId, objectName, id, body) => {
    if (id !== undefined)
      return { ok: false, error: itemError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']) }
    const checked = checkWrite(org.records, objectName, body, 'create')
    if ('error' in checked) return { ok: false, error: toItemError(checked.error) }
    const values = withDefaultOwner(objectName, checked.values, userId)
    const broken = ruleBroken(objectName, values)
    if (broken) return { ok: false, error: broken }
    // The id is known only once the record is written; `apply` fills it in.
    const outcome = {
      ok: true as const,
      id: '',
      apply: () => {
        outcome.id = String(org.records.insert(objectName, values, userId)['Id'])
      },
    }
    return outcome
  })

  saveRoute('PATCH', (userId, objectName, id, body) => {
    if (typeof id !== 'string' || id === '')
      return { ok: false, error: itemError('MISSING_ARGUMENT', 'Id not specified in an update call') }
    const found = findLive(org, objectName, id)
    if ('error' in found) return { ok: false, id, error: found.error }
    const checked = checkWrite(org.records, objectName, body, 'update')
    if ('error' in checked) return { ok: false, id: found.id, error: toItemError(checked.error) }
    const broken = ruleBroken(objectName, { ...found.record, ...checked.values })
    if (broken) return { ok: false, id: found.id, error: broken }
    return {
      ok: true,
      id: found.id,
      apply: () => org.records.update(objectName, found.id, checked.values, userId),
    }
  })

  app.delete('/services/data/:version/composite/sobjects', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const query = request.query as Record<string, unknown>
    const ids = typeof query['ids'] === 'string' ? query['ids'].split(',').filter(Boolean) : []
    if (ids.length === 0) return sendError(reply, 400, 'MISSING_ARGUMENT', 'ids parameter is required')
    if (ids.length > MAX_RECORDS)
      return sendError(
        reply,
        400,
        'EXCEEDED_ID_LIMIT',
        `Cannot process more than ${MAX_RECORDS} records in one call`,
      )
    const outcomes = ids.map((id): Outcome => {
      if (!isValidId(id)) return { ok: false, error: itemError('MALFORMED_ID', `malformed id ${id}`) }
      const objectName = writableType(org, session.userId, org.records.objectForId(id))
      if (typeof objectName !== 'string') return { ok: false, id, error: objectName }
      const found = findLive(org, objectName, id)
      if ('error' in found) return { ok: false, id, error: found.error }
      return { ok: true, id: found.id, apply: () => org.records.softDelete(objectName, found.id) }
    })
    return sendJson(reply, 200, run(outcomes, query['allOrNone'] === 'true'))
  })

  const retrieve = (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    ids: unknown,
    fields: unknown,
  ) => {
    const { object } = request.params as { object: string }
    const definition = org.records.describeObject(object)
    if (!definition || !canReadObject(org, userId, definition.name))
      return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
    const idList = Array.isArray(ids) ? ids.map(String) : typeof ids === 'string' ? ids.split(',') : []
    const names = Array.isArray(fields)
      ? fields.map(String)
      : typeof fields === 'string'
        ? fields.split(',')
        : []
    if (idList.length === 0 || names.length === 0)
      return sendError(reply, 400, 'MISSING_ARGUMENT', 'ids and fields are required')
    const selected = selectedFields(org.records, definition.name, names.join(','))
    if ('error' in selected) return sendError(reply, 400, 'INVALID_FIELD', selected.error)
    const version = versionOf(request, reply) as string
    const rows = idList.map((id) => {
      const record = isValidId(id) ? org.records.findById(definition.name, id) : undefined
      return record && record['IsDeleted'] !== true
        ? writeRecord(org, definition.name, record, version, selected.fields)
        : 'null'
    })
    return reply
      .code(200)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(`[${rows.join(',')}]`)
  }

  app.get('/services/data/:version/composite/sobjects/:object', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const query = request.query as Record<string, unknown>
    return retrieve(request, reply, session.userId, query['ids'], query['fields'])
  })

  app.post('/services/data/:version/composite/sobjects/:object', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const body = (request.body ?? {}) as Record<string, unknown>
    return retrieve(request, reply, session.userId, body['ids'], body['fields'])
  })
}

/** The record an update or delete is for, with the collection's item errors. */
function findLive(
  org: Org,
  objectName: string,
  id: string,
): { id: string; record: SfRecord } | { error: ItemError } {
  const found = lookupForWrite(org.records, objectName, id)
  if ('record' in found) return { id: String(found.record['Id']), record: found.record }
  const { errorCode } = found.error
  if (errorCode === 'MALFORMED_ID') return { error: itemError('MALFORMED_ID', `malformed id ${id}`) }
  if (errorCode === 'NOT_FOUND')
    return { error: itemError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id') }
  return { error: toItemError(found.error) }
}
