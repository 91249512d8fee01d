// The control API's Pub/Sub part (/__emulator/pubsub/…): not Salesforce's. The endpoint's certificate for clients
// that verify TLS, and the state of the event bus.
import type { FastifyInstance } from 'fastify'

import { sendJson } from '../http/errors.js'
import { CONTROL_PREFIX } from '../routes/control.js'
import type { PubSubEmulator } from './server.js'

export function registerPubSubControlRoutes(app: FastifyInstance, pubSub: PubSubEmulator): void {
  const p = `${CONTROL_PREFIX}/pubsub`
  app.get(`${p}/certificate`, async (_request, reply) =>
    reply.type('application/x-pem-file').send(pubSub.certificatePem),
  )
  app.get(`${p}/state`, async (_request, reply) =>
    sendJson(reply, 200, {
      endpoint: pubSub.endpoint,
      enabledEntities: [...pubSub.capture.enabled],
      latestReplayId: pubSub.bus.latestReplayId.toString(),
      deliveredLast24h: pubSub.bus.deliveredLast24h(),
      ...pubSub.settings,
    }),
  )
}
