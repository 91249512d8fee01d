// The SCIM 2.0 service provider at /scim/v2 (RFC 7644). Its own Fastify scope: bearer tokens created by the
// admin (never a session cookie, so no CSRF exposure: browsers do not attach bearer tokens by themselves),
// application/scim+json bodies, and SCIM's error shape (§3.12) for every failure.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { hashToken } from '../../auth/tokens.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { nulPaths } from '../../http/validation.js'
import { discoveryRoutes } from './scim-discovery.js'
import { scimError, SCIMError } from './scim-error.js'
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from './scim-groups.js'
import { ERROR_SCHEMA, LIST_RESPONSE_SCHEMA, type ScimJson } from './scim-schemas.js'
import { SCIM_BASE_PATH, scimBaseUrl } from './scim-tokens.service.js'
import { useScimToken } from './scim-tokens.repository.js'
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  patchUser,
  replaceUser,
  type Page,
  type ScimContext,
} from './scim-users.js'

const SCIM_TYPE = 'application/scim+json; charset=utf-8'
/** The largest page (ServiceProviderConfig filter.maxResults). */
export const MAX_RESULTS = 200

type Query = Record<string, string | undefined>
type Params = { id: string }

interface ResourceHandlers {
  list(ctx: ScimContext, page: Page, query: Query): Promise<{ total: number; resources: ScimJson[] }>
  get(ctx: ScimContext, id: string, query: Query): Promise<ScimJson>
  create(ctx: ScimContext, body: unknown): Promise<ScimJson>
  replace(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson>
  patch(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson>
  remove(ctx: ScimContext, id: string): Promise<void>
}

declare module 'fastify' {
  interface FastifyRequest {
    scimTokenId?: string
  }
}

export async function registerScimServer(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(
    async (scim) => {
      scim.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_request, text, done) => {
        try {
          done(null, text === '' ? undefined : JSON.parse(text as string))
        } catch {
          done(scimError(400, 'invalidSyntax', 'The request body is not valid JSON.'), undefined)
        }
      })
      scim.addHook('onRequest', async (request) => {
        request.scimTokenId = await authenticateBearer(deps, request)
      })
      // Text with a NUL byte reaches no query (as for the API, server/http/validation.ts).
      scim.addHook('preHandler', async (request) => {
        const [path] = ['params', 'query', 'body'].flatMap((where) =>
          nulPaths(request[where as 'params' | 'query' | 'body'], [where]),
        )
        if (path) {
          const attribute = path.slice(1).join('.') || path[0]
          throw scimError(
            400,
            'invalidValue',
            `The attribute ${String(attribute)} may not contain NUL characters.`,
          )
        }
      })
      scim.setErrorHandler((err: FastifyError | Error, request, reply) =>
        sendError(deps, err, request, reply),
      )
      scim.setNotFoundHandler((request, reply) =>
        sendError(
          deps,
          scimError(404, null, `No SCIM endpoint ${request.method} ${request.url}.`),
          request,
          reply,
        ),
      )

      const ctx = (request: FastifyRequest): ScimContext => ({
        deps,
        tokenId: request.scimTokenId ?? '',
        baseUrl: scimBaseUrl(deps),
      })
      const send = (reply: FastifyReply, status: number, resource: ScimJson, query?: Query) => {
        const shaped = query ? project(resource, query) : resource
        const location = (resource['meta'] as ScimJson | undefined)?.['location']
        if (status === 201 && typeof location === 'string') void reply.header('location', location)
        return reply.status(status).type(SCIM_TYPE).send(shaped)
      }
      const list = (
        reply: FastifyReply,
        page: Page,
        result: { total: number; resources: ScimJson[] },
        query: Query,
      ) =>
        reply.type(SCIM_TYPE).send({
          schemas: [LIST_RESPONSE_SCHEMA],
          totalResults: result.total,
          itemsPerPage: result.resources.length,
          startIndex: page.startIndex,
          Resources: result.resources.map((resource) => project(resource, query)),
        })

      const resource = (path: string, handlers: ResourceHandlers) => {
        scim.get<{ Querystring: Query }>(path, async (request, reply) => {
          const page = readPage(request.query)
          return list(reply, page, await handlers.list(ctx(request), page, request.query), request.query)
        })
        scim.get<{ Params: Params; Querystring: Query }>(`${path}/:id`, async (request, reply) =>
          send(reply, 200, await handlers.get(ctx(request), request.params.id, request.query), request.query),
        )
        scim.post(path, async (request, reply) =>
          send(reply, 201, await handlers.create(ctx(request), request.body)),
        )
        scim.put<{ Params: Params }>(`${path}/:id`, async (request, reply) =>
          send(reply, 200, await handlers.replace(ctx(request), request.params.id, request.body)),
        )
        scim.patch<{ Params: Params }>(`${path}/:id`, async (request, reply) =>
          send(reply, 200, await handlers.patch(ctx(request), request.params.id, request.body)),
        )
        scim.delete<{ Params: Params }>(`${path}/:id`, async (request, reply) => {
          await handlers.remove(ctx(request), request.params.id)
          return reply.status(204).send()
        })
      }
      resource('/Users', {
        list: (c, page) => listUsers(c, page),
        get: (c, id) => getUser(c, id),
        create: createUser,
        replace: replaceUser,
        patch: patchUser,
        remove: deleteUser,
      })
      // Entra ID reads groups with excludedAttributes=members: large groups are not loaded then.
      resource('/Groups', {
        list: (c, page, query) => listGroups(c, page, { withMembers: wantsMembers(query) }),
        get: (c, id, query) => getGroup(c, id, { withMembers: wantsMembers(query) }),
        create: createGroup,
        replace: replaceGroup,
        patch: patchGroup,
        remove: deleteGroup,
      })

      discoveryRoutes(scim, {
        baseUrl: () => scimBaseUrl(deps),
        maxResults: MAX_RESULTS,
        scimType: SCIM_TYPE,
      })
    },
    { prefix: SCIM_BASE_PATH },
  )
}

async function authenticateBearer(deps: AppDeps, request: FastifyRequest): Promise<string> {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match?.[1]) {
    throw scimError(
      401,
      null,
      'Send the SCIM token from Identity settings as "Authorization: Bearer <token>".',
    )
  }
  const token = await useScimToken(deps.db, hashToken(match[1]), deps.clock.now())
  if (!token) throw scimError(401, null, 'This bearer token is not valid here: it is unknown or was revoked.')
  return token.id
}

// startIndex is 1-based; below 1 counts as 1, a negative count as 0 (RFC 7644 §3.4.2.4).
function readPage(query: Query): Page {
  const number = (name: string, fallback: number): number => {
    const raw = query[name]
    if (raw === undefined || raw === '') return fallback
    if (!/^-?\d+$/.test(raw))
      throw scimError(400, 'invalidValue', `${name} must be an integer, not "${raw}".`)
    return Number(raw)
  }
  const filter = query['filter']?.trim()
  return {
    filter: filter ? filter : undefined,
    startIndex: Math.max(1, number('startIndex', 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, number('count', 100))),
  }
}

const ALWAYS_RETURNED = new Set(['schemas', 'id', 'meta'])

function attributeList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().split('.')[0]?.toLowerCase() ?? '')
    .filter(Boolean)
}

// attributes / excludedAttributes (RFC 7644 §3.4.2.5), on top-level attributes.
function project(resource: ScimJson, query: Query): ScimJson {
  const only = attributeList(query['attributes'])
  const excluded = attributeList(query['excludedAttributes'])
  if (only.length === 0 && excluded.length === 0) return resource
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => {
      const name = key.toLowerCase()
      if (ALWAYS_RETURNED.has(name)) return true
      if (only.length > 0 && !only.includes(name)) return false
      return !excluded.includes(name)
    }),
  )
}

function wantsMembers(query: Query): boolean {
  return !attributeList(query['excludedAttributes']).includes('members')
}

const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalidSyntax', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalidSyntax', 'The request body is empty.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, '', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, '', 'Send bodies as application/scim+json.'],
}

function sendError(
  deps: AppDeps,
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let status = 500
  let scimType: string | undefined
  let detail = `Something went wrong on our side. Reference: ${request.id}`
  const known = 'code' in err && typeof err.code === 'string' ? FASTIFY_ERRORS[err.code] : undefined
  if (err instanceof SCIMError) {
    status = err.status
    scimType = err.scimType || undefined
    detail = err.message
  } else if (err instanceof AppError) {
    status = err.status
    scimType =
      err.code === 'CONFLICT' ? 'uniqueness' : err.code === 'VALIDATION_FAILED' ? 'invalidValue' : undefined
    detail = err.message
  } else if (known) {
    ;[status, scimType, detail] = known
  } else {
    deps.log.error({ err }, 'SCIM request failed')
  }
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="scim"')
  return reply
    .status(status)
    .type(SCIM_TYPE)
    .send({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail })
}
