// buildEmulator(org): the emulated Salesforce as a Fastify app (never listens by itself). Route modules are
// registered explicitly; faults from the control API (http/faults.ts) hit every route: answers and delays before
// routing, broken bodies as the answer leaves.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

import { sendError, sendFrameworkError } from './http/errors.js'
import { applyBodyFault, applyRequestFault, appliedFaults, releaseStalled } from './http/faults.js'
import { registerFormParsers } from './http/form-body.js'
import { bearerToken, createGuard, createQueryGuard } from './http/guard.js'
import { queriedObjects, recordUse, type Org } from './org/org.js'
import { changeOriginOf, runInChangeContext } from './pubsub/change-context.js'
import { registerBulk2Routes } from './routes/bulk2.js'
import { CONTROL_PREFIX, registerControlRoutes } from './routes/control.js'
import { registerFrontdoorRoutes } from './routes/frontdoor.js'
import { registerOAuthRoutes } from './routes/oauth.js'
import { registerQueryRoutes } from './routes/query.js'
import { registerRecordPageRoutes } from './routes/record-page.js'
import { registerRestRoutes } from './routes/rest.js'
import { registerSoapLoginRoutes } from './routes/soap-login.js'

const REQUEST_LOG_LIMIT = 10_000

export function buildEmulator(org: Org, options: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    // The sf CLI sometimes sends //services/data/... (its URL joining, https://github.com/forcedotcom/sfdx-core/blob/main/src/org/connection.ts); Get Updated/Deleted are
    // documented with a trailing slash (.../deleted/?start=...).
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    bodyLimit: 50 * 1024 * 1024,
  })
  // OAuth bodies: form-encoded (jsforce) or multipart (the sf CLI's device flow, https://github.com/forcedotcom/sfdx-core/blob/main/src/deviceOauthService.ts).
  registerFormParsers(app)
  app.setErrorHandler(async (error, request, reply) => sendFrameworkError(request.url, error, reply))

  const logged = new WeakSet<FastifyRequest>()
  const log = (request: FastifyRequest, reply: FastifyReply) => {
    if (logged.has(request)) return
    logged.add(request)
    const object = queriedObjects.get(request)
    const fault = appliedFaults.get(request)
    org.requestLog.push({
      at: new Date(org.now()).toISOString(),
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      status: reply.raw.headersSent ? reply.statusCode : 0,
      userId: org.auth.sessions.get(bearerToken(request) ?? '')?.userId ?? null,
      ...(object ? { object } : {}),
      ...(fault ? { fault } : {}),
    })
    if (org.requestLog.length > REQUEST_LOG_LIMIT)
      org.requestLog.splice(0, org.requestLog.length - REQUEST_LOG_LIMIT)
  }

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(CONTROL_PREFIX)) return
    const answered = await applyRequestFault(org, request, reply)
    // A response cut or dropped on purpose never finishes, so onResponse does not run for it.
    if (appliedFaults.has(request)) reply.raw.once('close', () => log(request, reply))
    return answered
  })
  // Each request is one transaction for change data capture (transactionKey, sequenceNumber, changeOrigin).
  app.addHook('preHandler', (request, _reply, done) => {
    const callOptions = request.headers['sforce-call-options']
    const origin = changeOriginOf(request.url, typeof callOptions === 'string' ? callOptions : undefined)
    const userId = org.auth.sessions.get(bearerToken(request) ?? '')?.userId ?? null
    runInChangeContext({ changeOrigin: origin, userId }, done)
  })
  app.addHook('onSend', async (request, reply, payload) => applyBodyFault(org, request, reply, payload))
  app.addHook('preClose', async () => releaseStalled(org))
  app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith(CONTROL_PREFIX)) log(request, reply)
  })

  app.setNotFoundHandler(async (_request, reply) =>
    sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist'),
  )

  const guard = createGuard(org)
  const queryGuard = createQueryGuard(org)
  registerOAuthRoutes(app, org)
  registerSoapLoginRoutes(app, org)
  registerFrontdoorRoutes(app, org)
  registerRestRoutes(app, { org, guard })
  registerQueryRoutes(app, {
    data: org.records,
    guard: queryGuard,
    recordUse: (userId, objectName, ids, use) => recordUse(org, userId, objectName, ids, use),
  })
  registerBulk2Routes(app, {
    data: org.records,
    guard: queryGuard,
    countBulkQueryJob: () => {
      if (org.limits.bulkQueryJobsUsed >= org.limits.dailyBulkQueryJobs) return false
      org.limits.bulkQueryJobsUsed += 1
      return true
    },
  })
  registerControlRoutes(app, org)
  registerRecordPageRoutes(app, org)
  return app
}
