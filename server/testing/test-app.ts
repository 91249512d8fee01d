// The app on a fresh test database, driven through app.inject (no network), plus helpers to create users
// and sign in. Tests use these instead of reaching into services, so they exercise what a client sees.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import pino from 'pino'

import type { Session } from '../../contracts/api/auth.api.js'
import { buildApp } from '../app.js'
import { followChanges } from '../cache/read-cache.js'
import { hashPassword } from '../auth/password.js'
import { loadConfig, type Config } from '../config.js'
import { assembleDeps, type AppDeps, type Clock } from '../deps.js'
import type { Endpoint } from '../../contracts/api/endpoint.js'
import { createInProcessDispatcher, type SyncDispatcher } from '../crm/sync/sync-dispatch.js'
import { insertUser, type UserRow } from '../users/users.repository.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'

export const TEST_PASSWORD = 'correct horse battery staple'

export interface TestApp {
  app: FastifyInstance
  deps: AppDeps
  database: TestDatabase
  endpoints: readonly Endpoint[]
  close(): Promise<void>
  createUser(
    overrides?: Partial<{ name: string; email: string; role: 'admin' | 'member'; isActive: boolean }>,
  ): Promise<UserRow>
  signIn(email: string, password?: string): Promise<Client>
  anonymous(): Client
}

/** A signed-in (or anonymous) client: keeps the session cookie and sends the CSRF header like the web UI. */
export interface Client {
  session: Session | null
  request(options: InjectOptions): Promise<LightMyRequestResponse>
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'json',
    DATA_DIR: 'memory://',
    // Tests reach the emulator on loopback, which only CRM_ALLOWED_HOSTS permits.
    CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    ...overrides,
  })
}

/** A clock tests can move forward. */
export function manualClock(start = new Date()): Clock & { advance(ms: number): void } {
  let now = start.getTime()
  return { now: () => new Date(now), advance: (ms) => (now += ms) }
}

let emailCounter = 0

export interface TestAppOptions {
  clock?: Clock
  config?: Config
  log?: pino.Logger
  /** Defaults to running syncs in this process, as embedded mode does. */
  syncDispatcher?: SyncDispatcher
  /**
   * Connect the read cache to change notifications, as the server does. Off by default: tests that write
   * straight to the database between two reads would otherwise depend on when PostgreSQL delivers the
   * notification; the cache's own tests turn it on and wait for it.
   */
  readCache?: boolean
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const deps = assembleDeps({
    config: options.config ?? testConfig(),
    db: database.db,
    log: options.log ?? pino({ level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const changeFeed = options.readCache ? await followChanges(deps.readCache, database) : undefined
  const syncDispatcher = options.syncDispatcher ?? createInProcessDispatcher(deps, {})
  const { app, endpoints } = await buildApp(deps, { syncDispatcher })
  await app.ready()

  const makeClient = (cookie: string | undefined, session: Session | null): Client => ({
    session,
    request: (request) => {
      const isUnsafe = !['GET', 'HEAD', 'OPTIONS'].includes((request.method ?? 'GET').toUpperCase())
      return app.inject({
        ...request,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(isUnsafe && session?.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}),
          ...request.headers,
        },
      })
    },
  })

  return {
    app,
    deps,
    database,
    endpoints,
    close: async () => {
      await app.close()
      await syncDispatcher.stop()
      await changeFeed?.close()
      await database.close()
    },
    createUser: async (overrides = {}) => {
      emailCounter += 1
      return insertUser(database.db, {
        name: overrides.name ?? `User ${emailCounter}`,
        email: overrides.email ?? `user${emailCounter}@example.com`,
        role: overrides.role ?? 'member',
        is_active: overrides.isActive ?? true,
        password_hash: await hashPassword(TEST_PASSWORD),
      })
    },
    signIn: async (email, password = TEST_PASSWORD) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password },
      })
      if (response.statusCode !== 200)
        throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
      const cookie = response.cookies.find((c) => c.name === 'crm_session')
      return makeClient(`crm_session=${cookie?.value ?? ''}`, response.json<Session>())
    },
    anonymous: () => makeClient(undefined, null),
  }
}
