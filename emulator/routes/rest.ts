// REST resources other than query: versions, resources, limits, describe, sObject rows, Get Updated / Get
// Deleted (REST API Developer Guide: "Versions", "Resources by Version", "Limits", "Describe Global",
// "sObject Describe", "Recently Viewed Items", "sObject Rows", "Get Updated", "Get Deleted", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm).
import type { FastifyInstance } from 'fastify'

import { baseUrl } from '../http/base-url.js'
import { sendJson } from '../http/errors.js'
import type { RestDeps } from '../http/guard.js'
import { versionList, versionOf } from '../http/versions.js'
import { registerCollectionRoutes } from './collections.js'
import { registerDescribeRoutes } from './describe.js'
import { registerLimitsRoutes } from './limits.js'
import { registerRecentRoutes } from './recent.js'
import { registerReplicationRoutes } from './replication.js'
import { registerSObjectRowRoutes } from './sobject-rows.js'

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { org, guard } = deps

  // Versions: no authentication, no Sforce-Limit-Info (emulator/http/versions.ts has the sources).
  app.get('/services/data', async (_request, reply) => sendJson(reply, 200, versionList()))

  app.get('/services/data/:version', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const base = `/services/data/v${version}`
    return sendJson(reply, 200, {
      limits: `${base}/limits`,
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      jobs: `${base}/jobs`,
      recent: `${base}/recent`,
      identity: `${baseUrl(request)}/id/${org.id}/${session.userId}`,
    })
  })

  registerLimitsRoutes(app, deps)
  registerCollectionRoutes(app, deps)
  registerDescribeRoutes(app, deps)
  registerReplicationRoutes(app, deps)
  registerRecentRoutes(app, deps)
  registerSObjectRowRoutes(app, deps)
}
