// buildApp(deps): the HTTP application, wired top to bottom. It never listens; main.ts and tests do.
import { randomUUID } from 'node:crypto'

import fastifyCookie from '@fastify/cookie'
import helmet from 'helmet'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'

import type { Endpoint } from '../contracts/api/endpoint.js'
import * as healthApi from '../contracts/api/health.api.js'
import { registerAuthRoutes } from './auth/auth.routes.js'
import { authenticate } from './auth/auth.service.js'
import { registerEditRoutes } from './crm/edits/edits.routes.js'
import { registerSalesforceAccountRoutes } from './crm/edits/salesforce-account.routes.js'
import { registerFeedRoutes } from './crm/feed/feed.routes.js'
import { createLiveHub, type LiveHub } from './crm/live/live-hub.js'
import { registerLiveRoutes } from './crm/live/live.routes.js'
import { registerNotificationRoutes } from './crm/feed/notifications.routes.js'
import { registerMailStatusRoutes } from './crm/mail/mail-status.js'
import { registerUnsubscribeRoutes } from './crm/mail/unsubscribe.js'
import { registerMemberRoutes } from './crm/members/members.routes.js'
import { registerFilterOptionRoutes } from './crm/opportunities/filter-options.js'
import { registerOpportunityRoutes } from './crm/opportunities/opportunities.routes.js'
import { registerConnectionRoutes } from './crm/connection/connection.routes.js'
import type { SyncDispatcher } from './crm/sync/sync-dispatch.js'
import { registerSyncRoutes } from './crm/sync/sync.routes.js'
import { registerRealtimeRoutes } from './crm/cdc/realtime.routes.js'
import { assertMayScrape } from './metrics/metrics-access.js'
import { createMetrics } from './metrics/metrics.js'
import type { Config } from './config.js'
import type { AppDeps } from './deps.js'
import type { Db } from './storage/open-database.js'
import { AppError } from './errors.js'
import { registerErrorHandling } from './http/error-handler.js'
import { answerClientError, limitBodyIdleTime } from './http/request-body.js'
import { buildOpenApiDocument, renderDocsPage } from './http/openapi.js'
import { createRouter } from './http/route.js'
import { registerWebUi } from './http/web-ui.js'
import { registerModuleRoutes } from './modules/modules.routes.js'
import { pingDatabase } from './storage/ping.js'
import { registerUserRoutes } from './user-admin/user-admin.routes.js'
import { registerOidcRoutes } from './identity/oidc/oidc.routes.js'
import { registerScimServer } from './identity/scim/scim.routes.js'
import { registerScimTokenRoutes } from './identity/scim/scim-tokens.routes.js'

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/
const NOT_STORED = /^\/(?:api|scim)\/|^\/(?:metrics|healthz|readyz)(?:[/?]|$)/

/** Fastify's trustProxy: a count becomes proxy-addr's "trust the first n hops" (hop 0 is the socket's peer). */
function trustedProxies(
  trust: Config['http']['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return [...trust]
}

export interface BuiltApp {
  app: FastifyInstance
  endpoints: readonly Endpoint[]
  /** The live event streams' hub: give it the change feed (followChanges) so events flow. */
  live: LiveHub
}

export interface AppServices {
  /** Runs syncs: in this process (embedded) or through pg-boss workers (PostgreSQL). */
  syncDispatcher: SyncDispatcher
  /** The live hub's own connections (OpenDatabase.liveDb), so events do not queue behind requests; default deps.db. */
  liveDb?: Db
}

export async function buildApp(deps: AppDeps, services: AppServices): Promise<BuiltApp> {
  const { config } = deps
  // Typed as Fastify's logger interface so the instance type stays the default FastifyInstance.
  const logger: FastifyBaseLogger = deps.log
  const app = Fastify({
    loggerInstance: logger,
    // A hop count or the proxies' addresses (config.ts), never every hop a client may have forged.
    trustProxy: trustedProxies(config.http.trustProxy),
    bodyLimit: config.http.bodyLimitBytes,
    // What Node could not parse (a body cut short, say) is answered in our error shape (request-body.ts).
    clientErrorHandler: answerClientError(logger),
    // Reuse a caller's request id (a proxy's X-Request-Id) when it is sane, so logs line up across hops.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  })
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  // No API answer may be kept by a browser or a shared cache: the session answer carries the CSRF token and
  // signed-in answers what only that user may see (no-store: https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5).
  // Set before anything runs, so refusals and errors carry it too.
  app.addHook('onRequest', async (request, reply) => {
    if (NOT_STORED.test(request.url)) void reply.header('cache-control', 'no-store')
  })
  // JSON is the only body type the API accepts; anything else is a clear 415, not a guess.
  app.removeContentTypeParser('text/plain')
  // Raw bytes, for the routes that take a file (route.ts `binaryBody`); every other route refuses them.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  )

  await app.register(fastifyCookie)
  // Helmet's security headers, built once. (@fastify/helmet rebuilt the middleware, CSP parsing included, on
  // every request: 5% of the server's CPU under load.)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense once the operator serves over https; browsers ignore it on http anyway.
    hsts: { maxAge: 15_552_000, includeSubDomains: false },
  })
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined))
  })
  registerErrorHandling(app)
  limitBodyIdleTime(app, config.http.bodyIdleTimeoutMs)

  const endpoints: Endpoint[] = []
  const route = createRouter(app, deps, endpoints, (token) => authenticate(deps, token))

  route(healthApi.healthz, async () => ({ status: 'ok' as const }))
  route(healthApi.readyz, async () => {
    try {
      await pingDatabase(deps.db)
    } catch (err) {
      deps.log.warn({ err }, 'readiness check: database unreachable')
      throw new AppError('INTERNAL', 'The database is not reachable.')
    }
    return { status: 'ready' as const, database: config.storage.kind }
  })
  registerAuthRoutes(route, deps)
  registerUserRoutes(route, deps)
  registerModuleRoutes(route, deps)
  registerOpportunityRoutes(route, deps)
  registerEditRoutes(route, deps)
  registerSalesforceAccountRoutes(route, deps)
  registerFilterOptionRoutes(route, deps)
  registerMemberRoutes(route, deps)
  registerFeedRoutes(route, deps)
  registerMailStatusRoutes(route, deps)
  registerNotificationRoutes(route, deps)
  const live = createLiveHub({ db: services.liveDb ?? deps.db, log: deps.log })
  registerLiveRoutes(app, route, deps, live)
  registerConnectionRoutes(route, deps, {
    // Save Settings starts the initial full sync by itself.
    onSaved: (id) =>
      void services.syncDispatcher
        .dispatch(id, 'initial')
        .catch((err: unknown) => deps.log.error({ err }, 'could not start the initial sync')),
  })
  registerSyncRoutes(route, deps, services.syncDispatcher)
  registerRealtimeRoutes(route, deps)
  registerOidcRoutes(route, deps)
  registerScimTokenRoutes(route, deps)
  // SCIM 2.0 at /scim/v2: bearer tokens, its own body type and error shape, no session or CSRF.
  await registerScimServer(app, deps)
  // One-click unsubscribe from notification email: no session, a form body (RFC 8058).
  await registerUnsubscribeRoutes(app, deps)

  const metrics = createMetrics(deps.db, deps.readCache)
  app.get('/metrics', async (request, reply) => {
    assertMayScrape(request, config.http.metricsToken)
    return reply.type(metrics.contentType).send(await metrics.render())
  })
  app.get('/api/openapi.json', async () => buildOpenApiDocument(endpoints, config.http.publicUrl))
  app.get('/api/docs', async (_request, reply) => reply.type('text/html').send(renderDocsPage(endpoints)))
  await registerWebUi(app, config.webRoot)

  return { app, endpoints, live }
}
