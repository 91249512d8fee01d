// Get Updated and Get Deleted (REST API "Get Updated", "Get Deleted", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm and resources_getdeleted.htm): seconds truncated,
// start must precede end, start no older than 30 days (updated) or than the delete log (deleted), at most
// 600,000 ids, latestDateCovered as the next start.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { canReadObject } from '../http/object-access.js'
import { formatDatetime } from '../soql/format-json.js'
import type { RestDeps } from '../http/guard.js'
import { versionOf } from '../http/versions.js'

const DAY = 86_400_000
const ID_LIMIT = 600_000
/** The recycle bin, and so Get Deleted, reaches back 15 days (resources_getdeleted.htm). */
export const DELETED_WINDOW_MS = 15 * DAY

function parseWindow(
  query: Record<string, string | undefined>,
  reply: FastifyReply,
): { start: number; end: number } | undefined {
  const start = Date.parse(query['start'] ?? '')
  const end = Date.parse(query['end'] ?? '')
  if (Number.isNaN(start) || Number.isNaN(end)) {
    sendError(reply, 400, 'INVALID_REPLICATION_DATE', 'start and end must be valid dateTime values')
    return undefined
  }
  // Seconds are truncated: 12:30:15 becomes 12:30:00.
  const truncate = (ms: number) => Math.floor(ms / 60_000) * 60_000
  const window = { start: truncate(start), end: truncate(end) }
  if (window.start >= window.end) {
    sendError(
      reply,
      400,
      'INVALID_REPLICATION_DATE',
      'startDate must chronologically precede endDate by more than one minute',
    )
    return undefined
  }
  return window
}

export function registerReplicationRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  // Both resources share version, auth, object access and window checks; undefined means a reply was sent.
  const resolveRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!versionOf(request, reply)) return undefined
    const session = await guard(request, reply)
    if (!session) return undefined
    const definition = org.records.describeObject((request.params as { object: string }).object)
    if (!definition || !canReadObject(org, session.userId, definition.name)) {
      sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
      return undefined
    }
    const window = parseWindow(request.query as Record<string, string>, reply)
    return window ? { definition, window, now: org.now() } : undefined
  }

  app.get('/services/data/:version/sobjects/:object/updated', async (request, reply) => {
    const resolved = await resolveRequest(request, reply)
    if (!resolved) return reply
    const { definition, window, now } = resolved
    if (window.start < now - 30 * DAY)
      return sendError(reply, 400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago')
    const end = Math.min(window.end, Math.floor(now / 60_000) * 60_000)
    const ids: string[] = []
    for (const record of org.records.allRecords(definition.name)) {
      const stamp = Number(record['SystemModstamp'])
      if (record['IsDeleted'] !== true && stamp >= window.start && stamp < end) ids.push(String(record['Id']))
    }
    if (ids.length > ID_LIMIT)
      return sendError(reply, 400, 'EXCEEDED_ID_LIMIT', 'Too many ids were requested; narrow the time window')
    return sendJson(reply, 200, { ids, latestDateCovered: formatDatetime(end) })
  })

  app.get('/services/data/:version/sobjects/:object/deleted', async (request, reply) => {
    const resolved = await resolveRequest(request, reply)
    if (!resolved) return reply
    const { definition, window, now } = resolved
    const earliest = Math.floor((now - DELETED_WINDOW_MS) / 60_000) * 60_000
    if (window.start < earliest)
      return sendError(
        reply,
        400,
        'INVALID_REPLICATION_DATE',
        'startDate is before the earliest date available',
      )
    const end = Math.min(window.end, Math.floor(now / 60_000) * 60_000)
    const deletedRecords = org.records.deleteLog
      .filter(
        (entry) =>
          entry.objectName === definition.name && entry.deletedAt >= window.start && entry.deletedAt < end,
      )
      .filter((entry) => org.records.findById(definition.name, entry.id)?.['IsDeleted'] !== false)
      .map((entry) => ({ id: entry.id, deletedDate: formatDatetime(entry.deletedAt) }))
    if (deletedRecords.length > ID_LIMIT)
      return sendError(reply, 400, 'EXCEEDED_ID_LIMIT', 'Too many ids were requested; narrow the time window')
    return sendJson(reply, 200, {
      deletedRecords,
      earliestDateAvailable: formatDatetime(earliest),
      latestDateCovered: formatDatetime(end),
    })
  })
}
