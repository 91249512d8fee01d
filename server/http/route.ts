// Registers an endpoint from its contract: checks who may call it, guards against cross-site requests,
// validates params, query and body with the contract's zod schemas, and shapes the response through the
// contract's response schema (so a field that is not in the contract can never leak out).
import { timingSafeEqual } from 'node:crypto'

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import type { SessionUser } from '../../contracts/api/auth.api.js'
import type {
  Endpoint,
  EndpointBody,
  EndpointParams,
  EndpointQuery,
  EndpointResponse,
} from '../../contracts/api/endpoint.js'
import { answerScopes } from '../cache/read-cache.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Authenticate, AuthState, ClientInfo } from './request-auth.js'
import { parseInput } from './validation.js'

export const SESSION_COOKIE = 'crm_session'

export interface RouteContext<E> {
  params: EndpointParams<E>
  query: EndpointQuery<E>
  body: EndpointBody<E>
  auth: AuthState
  /** The signed-in user; always set for 'user' and 'admin' endpoints. */
  user: SessionUser
  client: ClientInfo
  request: FastifyRequest
  reply: FastifyReply
  /** Keeps this answer out of the read cache (it came from somewhere no change notification covers). */
  doNotCache(): void
}

export interface RouteOptions<E = Endpoint> {
  /**
   * Serve repeated identical GETs of the same user from the read cache (server/cache/read-cache.ts). `true`:
   * the answer may depend on any watched table (migrations 0110 and 2026_12_08_c01) and every change flushes
   * it. `{ opportunities }`: it depends only on the signed-in user and the opportunities named (besides the
   * tables whose change flushes everything), and on the user's bell if `bell`, so only changes to those
   * flush it (response-store.ts).
   */
  cache?:
    | boolean
    | {
        opportunities: (params: EndpointParams<E>, result: EndpointResponse<E>) => string[]
        bell?: boolean
      }
  /**
   * This write changes only what scoped answers read (posts, notifications, reads), and for the writer only
   * what the returned scopes (read-cache.ts `scopeOf`) cover: after it this process flushes those and the
   * unscoped answers, and the rest follows from its change notification (a post then leaves the other
   * deals' feeds and the poster's bell in memory). Any other write flushes every answer at once.
   */
  scopedWrite?: (params: EndpointParams<E>, writerId: string) => string[]
  /**
   * The body is raw bytes (Content-Type: application/octet-stream, handed to the handler as
   * `request.body`, a Buffer) of at most `maxBytes`; more is a 413 with `tooLarge` as its message.
   */
  binaryBody?: { maxBytes: number; tooLarge: string }
  /** A JSON body may be this many bytes (instead of BODY_LIMIT_BYTES), e.g. a file's text in a field. */
  jsonBodyLimit?: number
}

export type RouteHandler<E> = (context: RouteContext<E>) => Promise<EndpointResponse<E>>

export type Route = <E extends Endpoint>(
  endpoint: E,
  handler: RouteHandler<E>,
  options?: RouteOptions<E>,
) => void

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const JSON_TYPE = 'application/json; charset=utf-8'

/** Returns a `route(endpoint, handler)` function bound to an app and its deps; records every endpoint. */
export function createRouter(
  app: FastifyInstance,
  deps: AppDeps,
  registry: Endpoint[],
  authenticate: Authenticate,
): Route {
  return (endpoint, handler, options = {}) => {
    registry.push(endpoint)
    const { binaryBody, jsonBodyLimit } = options
    const scoped = typeof options.cache === 'object' ? options.cache : undefined
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      ...(jsonBodyLimit !== undefined ? { bodyLimit: jsonBodyLimit } : {}),
      ...(binaryBody
        ? {
            bodyLimit: binaryBody.maxBytes,
            // Refused on its Content-Length, before a byte of the body is read.
            onRequest: async (request) => {
              if (Number(request.headers['content-length'] ?? 0) > binaryBody.maxBytes) {
                throw new AppError('PAYLOAD_TOO_LARGE', binaryBody.tooLarge)
              }
            },
          }
        : {}),
      handler: async (request, reply) => {
        const auth = await authenticate(request.cookies[SESSION_COOKIE])
        assertAccess(endpoint, auth)
        const isWrite = !SAFE_METHODS.has(request.method)
        if (isWrite) assertSameSiteRequest(request, auth)
        // Per user and exact URL: the answer depends on nothing else (access is part of the user's query).
        const cacheKey =
          options.cache && auth.status === 'signed-in' ? `${auth.user.id} ${request.url}` : undefined
        const cached = cacheKey ? deps.readCache.response(cacheKey) : undefined
        if (cached !== undefined) return reply.type(JSON_TYPE).send(cached)
        // The same read already under way since the last flush (read-cache.ts): its answer is this one.
        const shared = cacheKey ? await deps.readCache.pendingResponse(cacheKey) : undefined
        if (shared !== undefined) return reply.type(JSON_TYPE).send(shared)
        const generation = deps.readCache.responseGeneration()
        let isCacheable = cacheKey !== undefined
        const context = {
          params: endpoint.params ? parseInput(endpoint.params, request.params, 'params') : undefined,
          query: endpoint.query ? parseInput(endpoint.query, request.query, 'query') : undefined,
          body: endpoint.body ? parseInput(endpoint.body, request.body, 'body') : undefined,
          auth,
          get user(): SessionUser {
            if (auth.status !== 'signed-in') throw new AppError('UNAUTHENTICATED', 'Sign in to continue.')
            return auth.user
          },
          client: { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
          request,
          reply,
          doNotCache: () => void (isCacheable = false),
        } as RouteContext<typeof endpoint>
        // After params and query, so a bad id or name is named as such whatever the body.
        if (Buffer.isBuffer(request.body) !== (binaryBody !== undefined)) {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            binaryBody
              ? 'Send the file as application/octet-stream.'
              : 'Send request bodies as application/json.',
          )
        }
        // Announced only now that nothing can throw before it is settled: requests of this key wait for it,
        // and any way out but a cacheable answer settles it empty (they then run their own read).
        const settleShared = cacheKey ? deps.readCache.startResponse(cacheKey, generation) : undefined
        let sharedJson: string | undefined
        const sessionWriteMark = deps.readCache.sessionWriteMark()
        try {
          let result: EndpointResponse<typeof endpoint>
          try {
            result = await handler(context)
          } finally {
            // This process's own writes flush the cache before the response leaves, so the next read of the
            // same user sees them without waiting for the change notification: the responses after any
            // write (a scoped write: the unscoped ones and its scopes), the sessions after a write to users
            // or sessions (read-cache.ts, session-writes.ts).
            const scopes =
              options.scopedWrite && auth.status === 'signed-in'
                ? options.scopedWrite(context.params, auth.user.id)
                : undefined
            deps.readCache.settleRequest(isWrite, sessionWriteMark, scopes)
          }
          // A handler that answered itself (a redirect, a file) is done; it returns the reply, as the send may
          // still be running its onSend hooks.
          if (reply.sent || (result as unknown) === reply) return reply
          void reply.status(endpoint.successStatus ?? 200)
          if (endpoint.successStatus === 204 || !endpoint.response) return reply.send()
          const body = endpoint.response.parse(result)
          if (!isCacheable || !cacheKey) return reply.send(body)
          const json = JSON.stringify(body)
          const scopes =
            scoped && auth.status === 'signed-in'
              ? answerScopes(auth.user.id, {
                  opportunityIds: scoped.opportunities(context.params, result),
                  bell: scoped.bell,
                })
              : undefined
          deps.readCache.rememberResponse(cacheKey, json, generation, scopes)
          sharedJson = json
          return reply.type(JSON_TYPE).send(json)
        } finally {
          settleShared?.(sharedJson)
        }
      },
    })
  }
}

function assertAccess(endpoint: Endpoint, auth: AuthState): void {
  if (endpoint.access === 'public') return
  if (auth.status === 'expired')
    throw new AppError('SESSION_EXPIRED', 'Your session has ended. Sign in again.')
  if (auth.status !== 'signed-in') throw new AppError('UNAUTHENTICATED', 'Sign in to continue.')
  if (endpoint.access === 'admin' && auth.user.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only network admins can do this.')
  }
}

// CSRF defence in depth: signed-in requests must echo the session's CSRF token (synchronizer token pattern),
// and no state-changing request may come from another site (Fetch Metadata / Origin checks, as in the OWASP
// CSRF Prevention Cheat Sheet). JSON-only bodies also force a CORS preflight, which this server never grants.
function assertSameSiteRequest(request: FastifyRequest, auth: AuthState): void {
  const fetchSite = request.headers['sec-fetch-site']
  const origin = request.headers.origin
  const isCrossSite =
    fetchSite === 'cross-site' || (origin !== undefined && !isSameHost(origin, request.host))
  if (isCrossSite) throw new AppError('CSRF_FAILED', 'Cross-site requests are not allowed.')
  if (auth.status !== 'signed-in') return
  const sent = request.headers['x-csrf-token']
  if (typeof sent !== 'string' || !safeEqual(sent, auth.csrfToken)) {
    throw new AppError(
      'CSRF_FAILED',
      'The security token of this page is missing or out of date. Reload the page and try again.',
    )
  }
}

function isSameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; expiresAt: Date },
): void {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  })
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  })
}
