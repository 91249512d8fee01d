// The control API: not Salesforce's, under its own prefix /__emulator/, for tests, demos and benchmarks. It
// changes data behind the connector's back, moves the clock, expires or revokes tokens, sets limits, hides
// fields, and injects faults (what each does: http/faults.ts). Users and connected apps: control-org.ts; validation
// rules, read-only fields and restricted picklists: control-write-rules.ts. Bodies are JSON; errors answer {error}.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

import { sendJson } from '../http/errors.js'
import { releaseStalled } from '../http/faults.js'
import { FAULT_KINDS, type Org } from '../org/org.js'
import { createRandom } from '../org/generate.js'
import { formatDatetime } from '../soql/format-json.js'
import { registerControlOrgRoutes } from './control-org.js'
import { registerControlWriteRuleRoutes } from './control-write-rules.js'

export const CONTROL_PREFIX = '/__emulator'

const FaultSchema = z.object({
  match: z
    .string()
    .min(1)
    .refine((match) => {
      if (!match.startsWith('re:')) return true
      try {
        new RegExp(match.slice(3))
        return true
      } catch {
        return false
      }
    }, 'not a valid regular expression after re:'),
  // `truncate` is the former name of `malformed_body` (a well-framed response with half a body), still accepted.
  kind: z.preprocess((kind) => (kind === 'truncate' ? 'malformed_body' : kind), z.enum(FAULT_KINDS)),
  soql: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).default(1),
  every: z.number().int().positive().default(1),
  delayMs: z.number().int().min(0).max(120_000).default(0),
})

const bad = (message: string) => ({ error: message })

export function registerControlRoutes(app: FastifyInstance, org: Org): void {
  let faultIds = 0
  const p = CONTROL_PREFIX

  app.get(`${p}/state`, async (_request, reply) =>
    sendJson(reply, 200, {
      orgId: org.id,
      now: new Date(org.now()).toISOString(),
      limits: org.limits,
      counts: Object.fromEntries(org.records.objectNames().map((name) => [name, org.records.count(name)])),
      faults: org.faults,
      stalledConnections: org.stalledConnections.size,
      blockUsernamePasswordFlow: org.auth.blockUsernamePasswordFlow,
      soapLoginEnabled: org.auth.soapLoginEnabled,
      sessionTtlMs: org.auth.sessionTtlMs,
      teamSelling: org.records.teamSelling,
      hiddenFields: [...org.records.hiddenFields],
    }),
  )

  app.get(`${p}/records/:object/:id`, async (request, reply) => {
    const { object, id } = request.params as { object: string; id: string }
    const record = org.records.findById(object, id)
    if (!record) return sendJson(reply, 404, bad('no such record'))
    // Stored values, datetimes in Salesforce's wire format so tests can compare them with API responses.
    const fields = org.records.describeObject(object)?.fields ?? []
    return sendJson(
      reply,
      200,
      Object.fromEntries(
        fields.map((f) => {
          const value = record[f.name] ?? null
          return [f.name, f.type === 'datetime' && typeof value === 'number' ? formatDatetime(value) : value]
        }),
      ),
    )
  })

  app.post(`${p}/records/:object`, async (request, reply) => {
    const { object } = request.params as { object: string }
    if (!org.records.describeObject(object)) return sendJson(reply, 404, bad(`no object ${object}`))
    const record = org.records.insert(
      object,
      request.body as Record<string, string | number | boolean | null>,
      org.integrationUserId,
    )
    return sendJson(reply, 201, { id: record['Id'] })
  })

  app.patch(`${p}/records/:object/:id`, async (request, reply) => {
    const { object, id } = request.params as { object: string; id: string }
    const body = z
      .object({
        values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
        automated: z.boolean().default(false),
      })
      .parse(request.body ?? {})
    const record = body.automated
      ? org.records.touch(object, id, body.values)
      : org.records.update(object, id, body.values, org.integrationUserId)
    return record
      ? sendJson(reply, 200, {
          id: record['Id'],
          SystemModstamp: new Date(Number(record['SystemModstamp'])).toISOString(),
        })
      : sendJson(reply, 404, bad('no such live record'))
  })

  app.post(`${p}/records/:object/:id/:action`, async (request, reply) => {
    const { object, id, action } = request.params as { object: string; id: string; action: string }
    const done =
      action === 'delete'
        ? org.records.softDelete(object, id)
        : action === 'undelete'
          ? org.records.undelete(object, id)
          : action === 'purge'
            ? org.records.purge(object, id)
            : action === 'touch'
              ? org.records.touch(object, id) !== undefined
              : undefined
    if (done === undefined)
      return sendJson(reply, 400, bad('action must be delete, undelete, purge or touch'))
    return sendJson(reply, done ? 200 : 404, { done })
  })

  // Changes a share of the opportunities at random (benchmarks, incremental sync tests).
  app.post(`${p}/opportunities/mutate`, async (request, reply) => {
    const body = z
      .object({
        percent: z.number().min(0).max(100),
        seed: z.number().int().default(1),
        automated: z.boolean().default(false),
      })
      .parse(request.body ?? {})
    const random = createRandom(body.seed)
    const changed: string[] = []
    for (const record of org.records.allRecords('Opportunity')) {
      if (record['IsDeleted'] === true || random() * 100 >= body.percent) continue
      const id = String(record['Id'])
      const amount = Math.round((Number(record['Amount'] ?? 0) * (0.8 + random() * 0.4)) / 100) * 100
      if (body.automated) org.records.touch('Opportunity', id, { Amount: amount })
      else org.records.update('Opportunity', id, { Amount: amount }, org.integrationUserId)
      changed.push(id)
    }
    return sendJson(reply, 200, { changed: changed.length, ids: changed.slice(0, 1000) })
  })

  app.post(`${p}/clock`, async (request, reply) => {
    // Forward only: Salesforce's clock never runs backwards, and SystemModstamp order depends on it.
    const body = z
      .object({
        advanceMs: z.number().int().min(0).optional(),
        setTo: z.iso.datetime({ offset: true }).optional(),
      })
      .parse(request.body)
    if (body.setTo !== undefined) {
      const target = Date.parse(body.setTo)
      if (target < org.now()) return sendJson(reply, 400, bad('the clock only moves forward'))
      org.clockOffsetMs += target - org.now()
    }
    org.clockOffsetMs += body.advanceMs ?? 0
    return sendJson(reply, 200, { now: new Date(org.now()).toISOString() })
  })

  app.post(`${p}/tokens/expire`, async (_request, reply) =>
    sendJson(reply, 200, { expired: org.auth.expireAllSessions() }),
  )

  app.post(`${p}/tokens/revoke`, async (request, reply) => {
    const body = z
      .object({
        token: z.string().optional(),
        allRefreshTokens: z.boolean().default(false),
        username: z.string().optional(),
      })
      .parse(request.body ?? {})
    if (body.token) return sendJson(reply, 200, { revoked: org.auth.revoke(body.token) })
    let revoked = 0
    if (body.username) {
      const user = org.auth.findUserByUsername(body.username)
      if (!user) return sendJson(reply, 404, { error: 'no such user' })
      for (const grant of org.auth.refreshGrants.values())
        if (grant.userId === user.id) revoked += org.auth.revoke(grant.token) ? 1 : 0
    }
    if (body.allRefreshTokens)
      for (const token of org.auth.refreshGrants.keys()) revoked += org.auth.revoke(token) ? 1 : 0
    return sendJson(reply, 200, { revoked })
  })

  app.patch(`${p}/settings`, async (request, reply) => {
    const body = z
      .object({
        dailyApiRequests: z.number().int().min(0).optional(),
        apiRequestsUsed: z.number().int().min(0).optional(),
        sessionTtlMs: z.number().int().min(1).optional(),
        blockUsernamePasswordFlow: z.boolean().optional(),
        teamSelling: z.boolean().optional(),
        hideFields: z.array(z.string()).optional(),
        showFields: z.array(z.string()).optional(),
        appActiveAfterMs: z.number().int().optional(),
        appAutoApprove: z.boolean().optional(),
        appRotateRefreshTokens: z.boolean().optional(),
        appFlows: z
          .array(z.enum(['password', 'client_credentials', 'authorization_code', 'refresh_token']))
          .optional(),
        userApiEnabled: z.boolean().optional(),
        userActive: z.boolean().optional(),
        soapLoginEnabled: z.boolean().optional(),
      })
      .parse(request.body ?? {})
    if (body.dailyApiRequests !== undefined) org.limits.dailyApiRequests = body.dailyApiRequests
    if (body.apiRequestsUsed !== undefined) org.limits.apiRequestsUsed = body.apiRequestsUsed
    if (body.sessionTtlMs !== undefined) org.auth.sessionTtlMs = body.sessionTtlMs
    if (body.blockUsernamePasswordFlow !== undefined)
      org.auth.blockUsernamePasswordFlow = body.blockUsernamePasswordFlow
    if (body.teamSelling !== undefined) org.records.teamSelling = body.teamSelling
    if (body.soapLoginEnabled !== undefined) org.auth.soapLoginEnabled = body.soapLoginEnabled
    for (const field of body.hideFields ?? []) org.records.hiddenFields.add(field)
    for (const field of body.showFields ?? []) org.records.hiddenFields.delete(field)
    for (const connectedApp of org.auth.apps.values()) {
      if (body.appActiveAfterMs !== undefined) connectedApp.activeAfter = org.now() + body.appActiveAfterMs
      if (body.appAutoApprove !== undefined) connectedApp.autoApprove = body.appAutoApprove
      if (body.appRotateRefreshTokens !== undefined)
        connectedApp.rotateRefreshTokens = body.appRotateRefreshTokens
      if (body.appFlows) connectedApp.flows = new Set(body.appFlows)
    }
    const user = org.auth.users.get(org.integrationUserId)
    if (user && body.userApiEnabled !== undefined) user.apiEnabled = body.userApiEnabled
    if (user && body.userActive !== undefined) user.isActive = body.userActive
    return sendJson(reply, 200, { ok: true })
  })

  app.post(`${p}/faults`, async (request, reply) => {
    const parsed = FaultSchema.safeParse(request.body)
    if (!parsed.success) return sendJson(reply, 400, bad(parsed.error.message))
    faultIds += 1
    const fault = {
      id: faultIds,
      match: parsed.data.match,
      soql: parsed.data.soql,
      kind: parsed.data.kind,
      remaining: parsed.data.times,
      probability: parsed.data.probability,
      every: parsed.data.every,
      matched: 0,
      delayMs: parsed.data.delayMs,
    }
    org.faults.push(fault)
    return sendJson(reply, 201, fault)
  })

  // Clearing the faults also closes the connections stall_body is holding open.
  app.delete(`${p}/faults`, async (_request, reply) => {
    org.faults.length = 0
    releaseStalled(org)
    return sendJson(reply, 200, { ok: true })
  })

  registerControlOrgRoutes(app, org, p)
  registerControlWriteRuleRoutes(app, org, p)

  app.get(`${p}/requests`, async (_request, reply) => sendJson(reply, 200, { requests: org.requestLog }))
  app.delete(`${p}/requests`, async (_request, reply) => {
    org.requestLog.length = 0
    return sendJson(reply, 200, { ok: true })
  })
}
