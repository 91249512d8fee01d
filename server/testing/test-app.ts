// The app on a fresh test database, driven through app.inject (no network), plus helpers to create users
// and sign in. Tests use these instead of reaching into services, so they exercise what a client sees.
import { randomUUID } from 'node:crypto'

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql, type KyselyPlugin } from 'kysely'
import pino from 'pino'

import type { Session } from '../../contracts/api/auth.api.js'
import { buildApp } from '../app.js'
import { followChanges } from '../cache/read-cache.js'
import { hashPassword } from '../auth/password.js'
import { loadConfig, type Config } from '../config.js'
import { assembleDeps, type AppDeps, type Clock } from '../deps.js'
import type { Endpoint } from '../../contracts/api/endpoint.js'
import { startFeedJobs } from '../crm/mail/mail-jobs.js'
import { startLinkRevocationJobs } from '../crm/connection/link-revocation.js'
import type { Mailer } from '../crm/mail/mailer.js'
import { createInProcessDispatcher, type SyncDispatcher } from '../crm/sync/sync-dispatch.js'
import { createJobQueue } from '../jobs/job-queue.js'
import type { SyncHooks } from '../crm/sync/sync-run.js'
import type { LiveHub } from '../crm/live/live-hub.js'
import { CHANGES_CHANNEL, type ChangeHandlers } from '../storage/change-feed.js'
import { insertUser, type UserRow } from '../users/users.repository.js'
import { setCrmModuleEnabled } from './crm-factories.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'
import { WAIT_FOR_MS } from './timing.js'

export const TEST_PASSWORD = 'correct horse battery staple'

export interface TestApp {
  app: FastifyInstance
  /** The live event hub; connected to change notifications with `live: true` or `readCache: true`. */
  live: LiveHub
  deps: AppDeps
  database: TestDatabase
  endpoints: readonly Endpoint[]
  close(): Promise<void>
  createUser(
    overrides?: Partial<{ name: string; email: string; role: 'admin' | 'member'; isActive: boolean }>,
  ): Promise<UserRow>
  signIn(email: string, password?: string): Promise<Client>
  /** createUser, then signIn as them: the user's row and their client. */
  signInNew(overrides?: Parameters<TestApp['createUser']>[0]): Promise<UserRow & { client: Client }>
  anonymous(): Client
  /**
   * Resolves once the app's change feed has delivered every change notification committed before the call
   * (needs `readCache: true`). PostgreSQL delivers notifications to a listener in commit order, so a marker
   * sent now arrives after all of them; PGlite delivers as each commit returns.
   */
  changesDelivered(): Promise<void>
  /** Runs `action` and returns the kind of every statement the app sent to the database meanwhile. */
  queriesDuring(action: () => Promise<unknown>): Promise<string[]>
}

/** A signed-in (or anonymous) client: keeps the session cookie and sends the CSRF header like the web UI. */
export interface Client {
  session: Session | null
  /** The Cookie header this client sends (for requests made outside app.inject, such as an event stream). */
  cookie?: string | undefined
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
  /** Hooks for the default in-process dispatcher's runs (a test can hold a run after a page). */
  syncHooks?: SyncHooks
  /**
   * Connect the read cache to change notifications, as the server does. Off by default: tests that write
   * straight to the database between two reads would otherwise depend on when PostgreSQL delivers the
   * notification; the cache's own tests turn it on and wait for it.
   */
  readCache?: boolean
  /** Connect the live event hub (GET /api/live) to change notifications, without the read cache. */
  live?: boolean
  /**
   * Run the feed's background jobs (pg-boss on this test's database: notification email, digest, orphan
   * files), with email over `mailer` when given. Off by default (pg-boss adds a schema and pollers).
   */
  jobs?: { mailer?: Mailer | undefined }
  /** Turn the CRM module on (Modules > Enable CRM), as the CRM features' tests start. */
  crmModule?: boolean
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const recorder = statementRecorder()
  const config = options.config ?? testConfig()
  const log = options.log ?? pino({ level: 'silent' })
  const jobs = options.jobs
    ? createJobQueue(database.url ? { url: database.url } : { executor: database.jobExecutor }, {
        log,
        retryDelaySeconds: 1,
      })
    : undefined
  const deps = assembleDeps({
    config,
    ...(jobs ? { jobs } : {}),
    db: database.db.withPlugin(recorder.plugin),
    log,
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const markers = new Map<string, () => void>()
  const syncDispatcher = options.syncDispatcher ?? createInProcessDispatcher(deps, options.syncHooks ?? {})
  const { app, endpoints, live } = await buildApp(deps, { syncDispatcher })
  const forward = (handlers: ChangeHandlers): ChangeHandlers => ({
    onLive: (isLive) => handlers.onLive(isLive),
    onChange: (table) => (markers.get(table) ?? (() => handlers.onChange(table)))(),
  })
  const changeFeed = options.readCache
    ? await followChanges(
        deps.readCache,
        { listenForChanges: (handlers) => database.listenForChanges(forward(handlers)) },
        [live],
      )
    : options.live
      ? await database.listenForChanges(forward(live))
      : undefined
  await app.ready()
  if (options.crmModule) await setCrmModuleEnabled(database.db, true)
  if (jobs) {
    await jobs.start()
    await startFeedJobs(deps, jobs, options.jobs?.mailer, { pollingIntervalSeconds: 0.5 })
    await startLinkRevocationJobs(deps, jobs, { pollingIntervalSeconds: 0.5 })
  }

  const makeClient = (cookie: string | undefined, session: Session | null): Client => ({
    session,
    cookie,
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

  const testApp: TestApp = {
    app,
    live,
    deps,
    database,
    endpoints,
    close: async () => {
      await app.close()
      await syncDispatcher.stop()
      await jobs?.stop()
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
    signInNew: async (overrides) => {
      const user = await testApp.createUser(overrides)
      return { ...user, client: await testApp.signIn(user.email) }
    },
    changesDelivered: async () => {
      if (!changeFeed)
        throw new Error('changesDelivered() needs buildTestApp({ readCache: true }) or { live: true }.')
      const marker = `test-marker ${randomUUID()}`
      let timer: NodeJS.Timeout | undefined
      const delivered = new Promise<void>((resolve, reject) => {
        markers.set(marker, resolve)
        timer = setTimeout(
          () => reject(new Error(`The change feed did not deliver a notification within ${WAIT_FOR_MS} ms.`)),
          WAIT_FOR_MS,
        )
      })
      try {
        await sql`select pg_notify(${CHANGES_CHANNEL}, ${marker})`.execute(database.db)
        await delivered
      } finally {
        clearTimeout(timer)
        markers.delete(marker)
      }
    },
    queriesDuring: (action) => recorder.during(action),
  }
  return testApp
}

/** A Kysely plugin that notes each statement the app builds while a recording is on. */
function statementRecorder() {
  let recording: string[] | undefined
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      recording?.push(node.kind)
      return node
    },
    transformResult: async ({ result }) => result,
  }
  return {
    plugin,
    during: async (action: () => Promise<unknown>) => {
      const seen: string[] = []
      recording = seen
      try {
        await action()
      } finally {
        recording = undefined
      }
      return seen
    },
  }
}
