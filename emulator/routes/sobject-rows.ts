// sObject rows: GET, POST (create), PATCH (update), DELETE (REST API "sObject Basic Information" and "sObject Rows",
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve.htm; errors: errorcodes.htm).
// POST answers 201 {id, success, errors}; PATCH and DELETE answer 204 with no body. A record in the recycle bin is
// 404 ENTITY_IS_DELETED for writes ("entity is deleted"), an unknown one 404 NOT_FOUND; a malformed id in the path
// is 400 MALFORMED_ID for writes, while GET treats the segment as an external id and answers 404 NOT_FOUND.
// GET, PATCH and DELETE honour If-Modified-Since / If-Unmodified-Since (http/conditional.ts); creates and updates
// run the control API's validation rules on the record as it would be saved (org/validation-rules.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { writeRecord } from '../http/format.js'
import { canEditObject, canReadObject, refuseWrite } from '../http/object-access.js'
import { preconditionFailed } from '../http/conditional.js'
import { isValidId } from '../org/ids.js'
import type { SfRecord } from '../org/model.js'
import { evaluateRules } from '../org/validation-rules.js'
import type { RestDeps } from '../http/guard.js'
import { versionOf } from '../http/versions.js'
import {
  READ_ONLY_OBJECTS,
  checkWrite,
  lookupForWrite,
  selectedFields,
  withDefaultOwner,
} from './sobject-values.js'

type RowParams = { version: string; object: string; id: string }

export function registerSObjectRowRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  const resolve = (request: FastifyRequest, reply: FastifyReply, userId: string, write: boolean) => {
    const { object } = request.params as RowParams
    const definition = org.records.describeObject(object)
    if (!definition || !canReadObject(org, userId, definition.name)) {
      sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
      return undefined
    }
    if (write && READ_ONLY_OBJECTS.has(definition.name)) {
      // Status and wording for setup objects UNCONFIRMED; Salesforce answers writes it does not allow with 405.
      sendError(
        reply,
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are GET,HEAD`,
      )
      return undefined
    }
    return definition.name
  }

  /** The live record for a write, or the error Salesforce gives for a malformed, unknown or deleted id. */
  const writable = (reply: FastifyReply, objectName: string, id: string) => {
    const found = lookupForWrite(org.records, objectName, id)
    if ('error' in found) {
      sendError(reply, found.error.status, found.error.errorCode, found.error.message)
      return undefined
    }
    return found.record
  }

  /** Answers the first validation rule the record as saved breaks; true when it did. */
  const ruleFailed = (reply: FastifyReply, objectName: string, saved: SfRecord) => {
    const today = new Date(org.now()).toISOString().slice(0, 10)
    const failed = evaluateRules(org.records.validationRules, objectName, saved, today)
    if (failed) sendError(reply, 400, failed.errorCode, failed.message, failed.fields)
    return failed !== undefined
  }
  const lastModified = (record: SfRecord) => Number(record['LastModifiedDate'] ?? 0)

  app.get('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply, session.userId, false)
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
    // `?fields=A,B`: only those fields; an unknown one is 400 INVALID_FIELD ("sObject Rows", resources_sobject_retrieve.htm).
    const selected = selectedFields(org.records, objectName, (request.query as { fields?: unknown }).fields)
    if ('error' in selected) return sendError(reply, 400, 'INVALID_FIELD', selected.error)
    if (preconditionFailed(request, reply, lastModified(record), false)) return reply
    return reply
      .code(200)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(writeRecord(org, objectName, record, version, selected.fields))
  })

  app.post('/services/data/:version/sobjects/:object', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply, session.userId, true)
    if (!objectName) return reply
    const checked = checkWrite(org.records, objectName, request.body, 'create')
    if ('error' in checked)
      return sendError(reply, 400, checked.error.errorCode, checked.error.message, checked.error.fields)
    if (!canEditObject(org, session.userId, objectName)) return refuseWrite(reply)
    const values = withDefaultOwner(objectName, checked.values, session.userId)
    if (ruleFailed(reply, objectName, values)) return reply
    const record = org.records.insert(objectName, values, session.userId)
    return sendJson(reply, 201, { id: record['Id'], success: true, errors: [] })
  })

  app.patch('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply, session.userId, true)
    if (!objectName) return reply
    // The body is deserialized and checked before the record is looked up.
    const checked = checkWrite(org.records, objectName, request.body, 'update')
    if ('error' in checked)
      return sendError(reply, 400, checked.error.errorCode, checked.error.message, checked.error.fields)
    const record = writable(reply, objectName, (request.params as RowParams).id)
    if (!record) return reply
    if (preconditionFailed(request, reply, lastModified(record), true)) return reply
    if (!canEditObject(org, session.userId, objectName)) return refuseWrite(reply)
    if (ruleFailed(reply, objectName, { ...record, ...checked.values })) return reply
    org.records.update(objectName, String(record['Id']), checked.values, session.userId)
    return reply.code(204).send()
  })

  app.delete('/services/data/:version/sobjects/:object/:id', async (request, reply) => {
    if (!versionOf(request, reply)) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const objectName = resolve(request, reply, session.userId, true)
    if (!objectName) return reply
    const record = writable(reply, objectName, (request.params as RowParams).id)
    if (!record) return reply
    if (preconditionFailed(request, reply, lastModified(record), true)) return reply
    if (!canEditObject(org, session.userId, objectName)) return refuseWrite(reply)
    org.records.softDelete(objectName, String(record['Id']))
    return reply.code(204).send()
  })
}
