// Starts the emulator on a free loopback port, in this process: for tests, demos and benchmarks.
import type { FastifyInstance } from 'fastify'

import { buildEmulator } from './app.js'
import { createControlClient, type ControlClient } from './control-client.js'
import { generateOrg } from './org/generate.js'
import { createOrg, type Org } from './org/org.js'
import { startPubSubServer, type PubSubEmulator } from './pubsub/server.js'
import { registerPubSubControlRoutes } from './pubsub/control-routes.js'

export interface EmulatorCredentials {
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
}

export interface RunningEmulator {
  /** http://127.0.0.1:<port>: login URL, instance URL and (for record links) the Lightning host all in one. */
  url: string
  /** Host of record pages (`/lightning/r/Opportunity/<Id>/view`); the emulator serves them itself. */
  lightningHost: string
  credentials: EmulatorCredentials
  org: Org
  app: FastifyInstance
  /** The control API: typed methods, or control(method, path, body) for raw calls (control-client.ts). */
  control: ControlClient
  /** The Pub/Sub API endpoint (gRPC over TLS): `pubSub.endpoint` is host:port, `pubSub.certificatePem` its certificate. */
  pubSub: PubSubEmulator
  close(): Promise<void>
}

export interface EmulatorOptions {
  opportunities?: number
  seed?: number
  port?: number
  multiCurrency?: boolean
  pubSubPort?: number
  /** Pub/Sub keepalive interval (Salesforce: within 270 s). */
  pubSubKeepaliveMs?: number
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const org = createOrg({ multiCurrency: options.multiCurrency ?? false })
  const { integrationUser, app: connectedApp } = generateOrg(org, {
    opportunities: options.opportunities ?? 50,
    seed: options.seed ?? 42,
  })
  const app = buildEmulator(org)
  // Change events start here: the generated records are the org as it was before anyone subscribed.
  const pubSub = await startPubSubServer({
    org,
    instanceUrl: () => url,
    ...(options.pubSubPort === undefined ? {} : { port: options.pubSubPort }),
    ...(options.pubSubKeepaliveMs === undefined ? {} : { keepaliveMs: options.pubSubKeepaliveMs }),
  })
  registerPubSubControlRoutes(app, pubSub)
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('emulator has no TCP address')
  const url = `http://127.0.0.1:${address.port}`
  return {
    url,
    lightningHost: `127.0.0.1:${address.port}`,
    credentials: {
      username: integrationUser.username,
      password: integrationUser.password,
      securityToken: integrationUser.securityToken,
      consumerKey: connectedApp.consumerKey,
      consumerSecret: connectedApp.consumerSecret,
    },
    org,
    app,
    control: createControlClient(url),
    pubSub,
    close: async () => {
      await pubSub.close()
      await app.close()
    },
  }
}
