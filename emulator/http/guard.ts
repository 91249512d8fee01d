// Authentication and API accounting for every data call (REST API Developer Guide "Status Codes and Error
// Responses", "API Usage" headers, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm and
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm):
// * Bearer token → session; unknown, expired or revoked → 401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}].
// * Each call counts against DailyApiRequests; the response carries `Sforce-Limit-Info: api-usage=used/max`.
// * Over the allowance → 403 [{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}].
// API: bearerToken(request); authenticate(org, request, reply) (no counting: identity, userinfo);
// createGuard(org) → RouteGuard (authenticates and counts); createQueryGuard(org) → the same plus the profile's
// object permissions on the SOQL of /query, /queryAll and Bulk 2.0 job creation (http/object-access.ts).
import type { FastifyReply, FastifyRequest } from 'fastify'

import type { Org } from '../org/org.js'
import { refuseUnreadableQuery } from './object-access.js'
import type { RouteGuard } from '../soql/http-glue.js'
import { sendError } from './errors.js'

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (typeof header === 'string') {
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header)
    if (match) return match[1]?.trim()
  }
  // The identity URL also accepts ?oauth_token= (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_using_openid.htm).
  const query = request.query as Record<string, unknown> | undefined
  return typeof query?.['oauth_token'] === 'string' ? query['oauth_token'] : undefined
}

/** Authenticates without counting (identity and userinfo are not counted API calls). */
export function authenticate(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
): { userId: string } | undefined {
  const token = bearerToken(request)
  const session = token ? org.auth.sessionFor(token) : undefined
  if (!session) {
    sendError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid')
    return undefined
  }
  return { userId: session.userId }
}

export function createGuard(org: Org): RouteGuard {
  return async (request, reply) => {
    const session = authenticate(org, request, reply)
    if (!session) return undefined
    const user = org.auth.users.get(session.userId)
    if (user && !user.apiEnabled) {
      // Error code as documented for API-less users and editions (errorcodes.htm: API_DISABLED_FOR_ORG).
      sendError(reply, 403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.')
      return undefined
    }
    const limits = org.limits
    if (limits.apiRequestsUsed >= limits.dailyApiRequests) {
      void reply.header('sforce-limit-info', `api-usage=${limits.apiRequestsUsed}/${limits.dailyApiRequests}`)
      sendError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
      return undefined
    }
    limits.apiRequestsUsed += 1
    void reply.header('sforce-limit-info', `api-usage=${limits.apiRequestsUsed}/${limits.dailyApiRequests}`)
    return session
  }
}

/** What the REST route modules (routes/rest.ts and the files it registers) need. */
export interface RestDeps {
  org: Org
  guard: RouteGuard
}

export function createQueryGuard(org: Org): RouteGuard {
  const guard = createGuard(org)
  return async (request, reply) => {
    const session = await guard(request, reply)
    if (!session) return undefined
    const query = (request.query as Record<string, unknown> | undefined)?.['q']
    const body = (request.body as Record<string, unknown> | undefined)?.['query']
    const soql = typeof query === 'string' ? query : typeof body === 'string' ? body : ''
    const refused = refuseUnreadableQuery(org, session.userId, soql)
    if (refused) {
      // INVALID_TYPE wording from errorcodes.htm (without the SOQL excerpt and caret line).
      sendError(
        reply,
        400,
        'INVALID_TYPE',
        `sObject type '${refused}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      )
      return undefined
    }
    return session
  }
}
