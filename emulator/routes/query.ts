// REST query resources: GET /services/data/vXX.X/query?q=, /queryAll?q=, and the locators of nextRecordsUrl under
// /query/<locator> and /queryAll/<locator> (resources_query.htm, resources_queryall.htm,
// resources_query_more_results.htm, resources_queryall_more_results.htm under
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/).
// Authentication, API usage counting and the Sforce-Limit-Info header come from the shared guard in deps.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SoqlDataSource } from '../org/model.js'
import type { RecentUse } from '../org/recently-viewed.js'
import { queriedObjects } from '../org/org.js'
import { versionOf } from '../http/versions.js'
import { columnMetadata } from '../soql/column-metadata.js'
import { QueryService, batchSizeFromHeader } from '../soql/query-service.js'
import { sendJsonText, sendSalesforceError, type RouteGuard } from '../soql/http-glue.js'

export interface QueryRouteDeps {
  data: SoqlDataSource
  /** Authenticates and counts the call; resolves undefined when it has already replied (401, 403, injected fault). */
  guard: RouteGuard
  /** Shared so cursors survive across route registrations and tests can inspect them. */
  queries?: QueryService
  /** Records what a FOR VIEW / FOR REFERENCE query retrieved for the session's user. */
  recordUse?: (userId: string, objectName: string, ids: string[], use: RecentUse) => void
}

interface QueryRequest {
  Params: { version: string; locator?: string }
  Querystring: { q?: string; columns?: string }
}

export function registerQueryRoutes(app: FastifyInstance, deps: QueryRouteDeps): QueryService {
  const queries = deps.queries ?? new QueryService(deps.data)

  const start =
    (includeDeleted: boolean) => async (request: FastifyRequest<QueryRequest>, reply: FastifyReply) => {
      const version = versionOf(request, reply)
      if (!version) return reply
      const session = await deps.guard(request, reply)
      if (!session) return reply
      const soql = request.query.q
      if (soql === undefined || soql.trim() === '') {
        // Text as returned by the REST API for a missing q parameter (UNCONFIRMED).
        return sendSalesforceError(reply, 400, 'MALFORMED_QUERY', 'A query string has to be specified')
      }
      return runSafely(reply, () => {
        const compiled = queries.compile(soql)
        if (request.query.columns === 'true') return JSON.stringify(columnMetadata(compiled))
        const batchSize = batchSizeFromHeader(request.headers['sforce-query-options'])
        queriedObjects.set(request, compiled.object.name)
        return queries.start(compiled, includeDeleted, { version, batchSize }, (q, rows) =>
          deps.recordUse?.(
            session.userId,
            q.object.name,
            rows.map((r) => String(r['Id'])),
            q.use as RecentUse,
          ),
        )
      })
    }

  const more = async (request: FastifyRequest<QueryRequest>, reply: FastifyReply) => {
    const version = versionOf(request, reply)
    if (!version) return reply
    if (!(await deps.guard(request, reply))) return reply
    const batchSize = batchSizeFromHeader(request.headers['sforce-query-options'])
    return runSafely(reply, () => {
      const locator = request.params.locator ?? ''
      queriedObjects.set(request, queries.cursors.resolve(locator).cursor.query.object.name)
      return queries.more(locator, { version, batchSize })
    })
  }

  app.get<QueryRequest>('/services/data/:version/query', start(false))
  app.get<QueryRequest>('/services/data/:version/queryAll', start(true))
  app.get<QueryRequest>('/services/data/:version/query/:locator', more)
  app.get<QueryRequest>('/services/data/:version/queryAll/:locator', more)
  return queries
}

function runSafely(reply: FastifyReply, produce: () => string | Buffer): FastifyReply {
  let body: string | Buffer
  try {
    body = produce()
  } catch (err) {
    return sendSalesforceError(reply, err)
  }
  return sendJsonText(reply, body)
}
