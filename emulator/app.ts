// buildEmulator(org): the emulated Salesforce as a Fastify app (never listens by itself). Route modules are
// registered explicitly; faults from the control API are applied before routing, so they hit every route.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'

import { sendError, sendFrameworkError } from './http/errors.js'
import { registerFormParsers } from './http/form-body.js'
import { bearerToken, createGuard, createQueryGuard } from './http/guard.js'
import { queriedObjects, type Fault, type Org } from './org/org.js'
import { registerBulk2Routes } from './routes/bulk2.js'
import { CONTROL_PREFIX, registerControlRoutes } from './routes/control.js'
import { registerFrontdoorRoutes } from './routes/frontdoor.js'
import { registerOAuthRoutes } from './routes/oauth.js'
import { registerQueryRoutes } from './routes/query.js'
import { registerRecordPageRoutes } from './routes/record-page.js'
import { isKnownVersion, registerRestRoutes } from './routes/rest.js'
import { registerSoapLoginRoutes } from './routes/soap-login.js'

const REQUEST_LOG_LIMIT = 10_000
const truncated = new WeakSet<FastifyRequest>()

export function buildEmulator(org: Org, options: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    // The sf CLI sometimes sends //services/data/... (node20-dependencies.md); Get Updated/Deleted are
    // documented with a trailing slash (.../deleted/?start=...).
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    bodyLimit: 50 * 1024 * 1024,
  })
  // OAuth bodies: form-encoded (jsforce) or multipart (the sf CLI's device flow), digest §1.1.
  registerFormParsers(app)
  app.setErrorHandler(async (error, request, reply) => sendFrameworkError(request.url, error, reply))

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(CONTROL_PREFIX)) return
    const fault = takeFault(org, `${request.method} ${request.url.split('?')[0] ?? ''}`)
    if (!fault) return
    switch (fault.kind) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
        return
      case 'drop':
        request.raw.socket.destroy()
        return reply
      case 'truncate':
        truncated.add(request)
        return
      case 'invalid_session':
        return sendError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid')
      case 'request_limit':
        return sendError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
      case 'unavailable':
        return sendError(
          reply,
          503,
          'SERVER_UNAVAILABLE',
          'Server is temporarily unavailable. Please try again later.',
        )
      case 'server_error':
        return sendError(
          reply,
          500,
          'UNKNOWN_EXCEPTION',
          'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
        )
    }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (!truncated.has(request) || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload
    // A body cut in half: the status line and headers look fine, the JSON does not parse.
    const bytes = Buffer.from(payload)
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2))
    void reply.header('content-length', Buffer.byteLength(cut))
    return cut
  })

  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith(CONTROL_PREFIX)) return
    const object = queriedObjects.get(request)
    org.requestLog.push({
      at: new Date(org.now()).toISOString(),
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      status: reply.statusCode,
      userId: org.auth.sessions.get(bearerToken(request) ?? '')?.userId ?? null,
      ...(object ? { object } : {}),
    })
    if (org.requestLog.length > REQUEST_LOG_LIMIT)
      org.requestLog.splice(0, org.requestLog.length - REQUEST_LOG_LIMIT)
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
  registerQueryRoutes(app, { data: org.records, guard: queryGuard, isKnownVersion })
  registerBulk2Routes(app, {
    data: org.records,
    guard: queryGuard,
    isKnownVersion,
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

/** The first fault that matches `METHOD /path`, still has calls left and wins its probability draw. */
function takeFault(org: Org, target: string): Fault | undefined {
  for (const fault of org.faults) {
    const pattern = fault.match
    const matches = pattern.startsWith('re:')
      ? new RegExp(pattern.slice(3)).test(target)
      : target.includes(pattern)
    if (!matches || (fault.remaining !== undefined && fault.remaining <= 0)) continue
    if (Math.random() >= fault.probability) continue
    if (fault.remaining !== undefined) fault.remaining -= 1
    return fault
  }
  return undefined
}
