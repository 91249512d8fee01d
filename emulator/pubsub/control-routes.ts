// The control API's Pub/Sub part (/__emulator/pubsub/…): not Salesforce's. The endpoint's certificate for clients
// that verify TLS, the bus's state, and what tests and demos need to provoke: gap and overflow events, streams
// reset under their clients, stored replay ids gone stale, Change Data Capture switched on or off per entity,
// and the delivery allocation.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

import { sendJson } from '../http/errors.js'
import { CONTROL_PREFIX } from '../routes/control.js'
import type { ChangeType } from './avro-schema.js'
import type { PubSubEmulator } from './server.js'

const GAP_TYPES = [
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
] as const satisfies readonly ChangeType[]

const Gap = z.object({
  entity: z.string().default('Opportunity'),
  changeType: z.enum(GAP_TYPES).default('GAP_UPDATE'),
  recordIds: z.array(z.string().min(15)).min(1),
})
const Overflow = z.object({ entity: z.string().default('Opportunity') })
const Reset = z.object({ kind: z.enum(['unavailable', 'auth']).default('unavailable') })
const Settings = z.object({
  /** Entities selected for Change Data Capture (replaces the selection). */
  cdcEntities: z.array(z.string()).optional(),
  deliveryLimit: z.number().int().min(0).optional(),
  /** Forget the deliveries counted so far (the rolling 24 hours starting over). */
  resetDeliveries: z.boolean().optional(),
  keepaliveMs: z.number().int().min(10).max(270_000).optional(),
})

export function registerPubSubControlRoutes(app: FastifyInstance, pubSub: PubSubEmulator): void {
  const p = `${CONTROL_PREFIX}/pubsub`
  const { capture, bus, settings } = pubSub
  const state = () => ({
    endpoint: pubSub.endpoint,
    enabledEntities: [...capture.enabled],
    latestReplayId: bus.latestReplayId.toString(),
    deliveredLast24h: bus.deliveredLast24h(),
    ...settings,
  })
  const entitySchema = (entity: string) =>
    capture.enabled.has(entity) ? capture.schemaFor(entity) : undefined

  app.get(`${p}/certificate`, async (_request, reply) =>
    reply.type('application/x-pem-file').send(pubSub.certificatePem),
  )
  app.get(`${p}/state`, async (_request, reply) => sendJson(reply, 200, state()))

  app.patch(`${p}/settings`, async (request, reply) => {
    const body = Settings.parse(request.body ?? {})
    if (body.cdcEntities) {
      const unknown = body.cdcEntities.filter((name) => !capture.schemaFor(name))
      if (unknown.length > 0) return sendJson(reply, 400, { error: `no object ${unknown.join(', ')}` })
      capture.enabled.clear()
      for (const name of body.cdcEntities) capture.enabled.add(name)
    }
    if (body.deliveryLimit !== undefined) settings.deliveryLimit = body.deliveryLimit
    if (body.keepaliveMs !== undefined) settings.keepaliveMs = body.keepaliveMs
    if (body.resetDeliveries) bus.resetDeliveries()
    return sendJson(reply, 200, state())
  })

  // A gap event: header only, the record ids to re-read.
  app.post(`${p}/gap`, async (request, reply) => {
    const body = Gap.parse(request.body ?? {})
    const schema = entitySchema(body.entity)
    if (!schema) return sendJson(reply, 400, { error: `change data capture is off for ${body.entity}` })
    capture.publishHeaderOnly(schema, body.changeType, body.recordIds)
    return sendJson(reply, 201, { latestReplayId: bus.latestReplayId.toString() })
  })

  // An overflow event: a transaction past 100,000 changes; header only, no record ids.
  app.post(`${p}/overflow`, async (request, reply) => {
    const body = Overflow.parse(request.body ?? {})
    const schema = entitySchema(body.entity)
    if (!schema) return sendJson(reply, 400, { error: `change data capture is off for ${body.entity}` })
    capture.publishHeaderOnly(schema, 'GAP_OVERFLOW', [])
    return sendJson(reply, 201, { latestReplayId: bus.latestReplayId.toString() })
  })

  // Ends every open Subscribe stream: UNAVAILABLE (the service went away) or the auth error.
  app.post(`${p}/reset-streams`, async (request, reply) => {
    const { kind } = Reset.parse(request.body ?? {})
    const message = kind === 'auth' ? 'The session is no longer valid.' : 'The stream was reset.'
    return sendJson(reply, 200, { closed: pubSub.failStreams(kind, message) })
  })

  // Drops every retained event: replay ids stored until now can no longer be resumed from.
  app.post(`${p}/expire-events`, async (_request, reply) => {
    bus.expire(true)
    return sendJson(reply, 200, state())
  })
}
