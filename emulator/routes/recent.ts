// Recently Viewed Items (GET /services/data/vXX.X/recent?limit=N) and the recentItems of sObject Basic
// Information: the current user's records that SOQL FOR VIEW / FOR REFERENCE marked, newest first, each as
// {attributes: {type, url}, Id, Name} (example response in "View Recently Viewed Records",
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_see_recently_viewed.htm;
// resource: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_recent_items.htm).
// "The API response filters and displays recent records based on the permissions of the token or session ID
// user": objects the user cannot read and deleted records are left out.
import type { FastifyInstance } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import type { RestDeps } from '../http/guard.js'
import { canReadObject } from '../http/object-access.js'
import { versionOf } from '../http/versions.js'
import type { Org } from '../org/org.js'
import { RECENT_PER_OBJECT } from '../org/recently-viewed.js'

export function recentItems(
  org: Org,
  userId: string,
  version: string,
  options: { objectName?: string | undefined; limit?: number } = {},
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const item of org.recent.list(userId, options.objectName ? { objectName: options.objectName } : {})) {
    if (options.limit !== undefined && out.length >= options.limit) break
    if (!canReadObject(org, userId, item.objectName)) continue
    const record = org.records.findById(item.objectName, item.id)
    if (!record || record['IsDeleted'] === true) continue
    out.push({
      attributes: {
        type: item.objectName,
        url: `/services/data/v${version}/sobjects/${item.objectName}/${item.id}`,
      },
      Id: item.id,
      // Every object the emulator marks has a Name except OpportunityTeamMember; the docs show no item without one.
      ...('Name' in record ? { Name: record['Name'] } : {}),
    })
  }
  return out
}

export function registerRecentRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  app.get('/services/data/:version/recent', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const raw = (request.query as { limit?: unknown }).limit
    let limit = RECENT_PER_OBJECT
    if (raw !== undefined) {
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw)
      limit = Number(text)
      if (!/^\d+$/.test(text) || limit < 1) {
        // The resource documents limit as a maximum count; the answer to a bad one is not documented.
        return sendError(reply, 400, 'INVALID_QUERY_PARAMETER_VALUE', `Invalid limit: ${text}`)
      }
    }
    return sendJson(reply, 200, recentItems(org, session.userId, version, { limit }))
  })
}
