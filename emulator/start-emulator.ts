// Starts the emulator on a free loopback port, in this process: for tests, demos and benchmarks.
import type { FastifyInstance } from 'fastify'

import { buildEmulator } from './app.js'
import { generateOrg } from './org/generate.js'
import { createOrg, type Org } from './org/org.js'
import { CONTROL_PREFIX } from './routes/control.js'

export interface EmulatorCredentials {
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
}

export interface RunningEmulator {
  url: string
  credentials: EmulatorCredentials
  org: Org
  app: FastifyInstance
  /** Calls the control API (POST/PATCH/DELETE with a JSON body). */
  control(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown>
  close(): Promise<void>
}

export interface EmulatorOptions {
  opportunities?: number
  seed?: number
  port?: number
  multiCurrency?: boolean
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const org = createOrg({ multiCurrency: options.multiCurrency ?? false })
  const { integrationUser, app: connectedApp } = generateOrg(org, {
    opportunities: options.opportunities ?? 50,
    seed: options.seed ?? 42,
  })
  const app = buildEmulator(org)
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('emulator has no TCP address')
  const url = `http://127.0.0.1:${address.port}`
  return {
    url,
    credentials: {
      username: integrationUser.username,
      password: integrationUser.password,
      securityToken: integrationUser.securityToken,
      consumerKey: connectedApp.consumerKey,
      consumerSecret: connectedApp.consumerSecret,
    },
    org,
    app,
    control: async (method, path, body) => {
      const response = await fetch(`${url}${CONTROL_PREFIX}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      })
      const json: unknown = await response.json()
      if (!response.ok)
        throw new Error(`control ${method} ${path} failed: ${response.status} ${JSON.stringify(json)}`)
      return json
    },
    close: () => app.close(),
  }
}
