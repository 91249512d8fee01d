// REST resources other than query: versions, resources, limits, describe, sObject rows, Get Updated / Get
// Deleted (REST API Developer Guide: "Versions", "Resources by Version", "Limits", "Describe Global",
// "sObject Describe", "sObject Rows", "Get Updated", "Get Deleted", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm).
import type { FastifyInstance } from 'fastify'

import { baseUrl } from '../http/base-url.js'
import { sendJson } from '../http/errors.js'
import type { RestDeps } from '../http/guard.js'
import { versionList, versionOf } from '../http/versions.js'
import { registerDescribeRoutes } from './describe.js'
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
      identity: `${baseUrl(request)}/id/${org.id}/${session.userId}`,
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

  // Record Count (REST API Developer Guide "Record Count", resources_record_count.htm, v40.0+):
  // `?sObjects=A,B` → {"sObjects":[{"count":3,"name":"Account"}, …]}; names the org does not have are left out,
  // no parameter lists every object; recycle-bin rows are not counted. `sf org list sobject record-counts` reads it.
  app.get('/services/data/:version/limits/recordCount', async (request, reply) => {
    if (!versionOf(request, reply) || !(await guard(request, reply))) return reply
    const param = (request.query as Record<string, unknown>)['sObjects']
    const wanted =
      typeof param === 'string' && param.trim() !== '' ? param.split(',') : org.records.objectNames()
    const sObjects = wanted.flatMap((raw) => {
      const definition = org.records.describeObject(raw.trim())
      if (!definition) return []
      let count = 0
      for (const record of org.records.allRecords(definition.name))
        if (record['IsDeleted'] !== true) count += 1
      return [{ count, name: definition.name }]
    })
    return sendJson(reply, 200, { sObjects })
  })

  registerDescribeRoutes(app, deps)
  registerReplicationRoutes(app, deps)
  registerSObjectRowRoutes(app, deps)
}
