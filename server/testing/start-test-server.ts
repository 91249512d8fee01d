// The real app on a free loopback port with an in-memory database, for browser journeys (e2e/).
// It serves the built web UI from dist/web, so run `node scripts/build.mjs --if-stale` first.
import { createServer } from 'node:net'

import pino from 'pino'

import { buildApp } from '../app.js'
import { followChanges } from '../cache/read-cache.js'
import { prepareFirstRunSetup } from '../auth/first-run.service.js'
import { startRealtimeUpdates } from '../crm/cdc/realtime-updates.js'
import { createInProcessDispatcher } from '../crm/sync/sync-dispatch.js'
import { assembleDeps, type AppDeps } from '../deps.js'
import { testConfig } from './test-app.js'
import { createTestDatabase } from './test-database.js'

export interface TestServer {
  url: string
  /** The one-time first-run link the server would print in its log. */
  setupUrl: string
  deps: AppDeps
  close(): Promise<void>
}

/** Asks the OS for a free loopback port (links the server hands out must carry the real port). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface TestServerOptions {
  /**
   * Runs the change-stream supervisor as server/main.ts does (point CRM_PUBSUB_* at the emulator with
   * pubSubSettings()); `tickMs` is how often it looks for connections whose real-time updates were turned on.
   */
  realtime?: { tickMs?: number }
}

export async function startTestServer(
  overrides: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = await createTestDatabase()
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  // The read cache and the live hub follow change notifications as in the real server.
  const config = testConfig({ PORT: String(port), PUBLIC_URL: url, ...overrides })
  const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
  const dispatcher = createInProcessDispatcher(deps, {})
  const { app, live } = await buildApp(deps, { syncDispatcher: dispatcher, liveDb: database.liveDb })
  const changeFeed = await followChanges(deps.readCache, database, [live])
  await app.listen({ host: '127.0.0.1', port })
  const setupUrl = await prepareFirstRunSetup(deps)
  if (!setupUrl) throw new Error('a fresh test database should need first-run setup')
  const realtime = options.realtime
    ? startRealtimeUpdates(deps, dispatcher, { tickMs: options.realtime.tickMs })
    : undefined
  return {
    url,
    setupUrl,
    deps,
    close: async () => {
      await app.close()
      await realtime?.stop()
      await dispatcher.stop()
      await changeFeed.close()
      await database.close()
    },
  }
}
