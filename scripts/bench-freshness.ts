// `npm run bench:freshness [-- --opportunities 100000 --changes 6000 --rate 100 --poll-seconds 60
// --database postgres://…]`: how soon a change made in Salesforce is in the module's cache, with real-time
// updates (Change Data Capture over the Pub/Sub API) and with polling alone, side by side in one run against the
// local emulator (in this process).
// Each change is a PATCH of one record's Amount to a value nobody else writes, through the emulator's REST API,
// at a steady --rate; its freshness is the time from sending the PATCH to the cache row holding the value (the
// cache is read every 20 ms). Polling alone runs an incremental sync every --poll-seconds (60: the shortest
// interval Sync Settings allow). A change not seen within the wait is `missed`. Database: embedded PGlite, or
// PostgreSQL with --database <url> (a database of its own: the bench adds a connection to it).
// On PostgreSQL a third phase, between the two, kills the subscriber: the stream is held by a real sync worker
// (server/worker.ts, its own process) while this process competes for it; half-way through the changes the
// worker is killed with SIGKILL, this process takes the stream over from the stored replay id, and the phase
// reports what was missed, how many events were applied against how many changes were made (applied twice:
// events_applied counts in the same transaction as the cache writes), the takeover time, and the cache
// compared record by record with the org (scripts/soak-compare.ts), again at the end of the run.
// Progress goes to stderr; the last line on stdout is the JSON result.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import pino from 'pino'

import { startEmulator } from '../emulator/start-emulator.js'
import { accessToken } from '../emulator/testing/access-token.js'
import { loadConfig } from '../server/config.js'
import { HOLDER } from '../server/crm/cdc/cdc-runtime.js'
import { findStream } from '../server/crm/cdc/cdc-streams.repository.js'
import { setRealtime } from '../server/crm/cdc/realtime.service.js'
import { startRealtimeUpdates } from '../server/crm/cdc/realtime-updates.js'
import { createInProcessDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { runSync } from '../server/crm/sync/sync-run.js'
import { assembleDeps, type AppDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPglite, openPostgres } from '../server/storage/open-database.js'
import { connectEmulatorAsAdmin } from './bench-emulator-connection.js'
import { compareCacheWithOrg } from './soak-compare.js'
import { spawnNode } from './spawn-node.js'

const { values: args } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '100000' },
    changes: { type: 'string', default: '6000' },
    rate: { type: 'string', default: '100' },
    'poll-seconds': { type: 'string', default: '60' },
    database: { type: 'string' },
  },
})
const opportunities = Number(args.opportunities)
// Each phase changes records of its own (three phases on PostgreSQL).
const changes = Math.min(Number(args.changes), Math.floor(opportunities / 3))
const rate = Number(args.rate)
const pollMs = Number(args['poll-seconds']) * 1000
const log = (message: string) => console.error(`[bench:freshness] ${message}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const WATCH_MS = 20
/** The changes' connections to the emulator: enough for 100/s, few enough that a busy emulator keeps them. */
const patchAgent = new http.Agent({ keepAlive: true, maxSockets: 16 })
/** After the last change: how long a change may still arrive before it counts as missed. */
const CDC_GRACE_MS = 30_000

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
const round = (ms: number | null) => (ms === null ? null : Math.round(ms))

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

const emulator = await startEmulator({ opportunities, seed: 18 })
const dir = mkdtempSync(join(tmpdir(), 'bench-freshness-'))
const database = args.database ? openPostgres(args.database, 6) : await openPglite('memory://')
try {
  writeFileSync(join(dir, 'pubsub.pem'), emulator.pubSub.certificatePem)
  // Deliveries past the allocation would stop the stream mid-run: this measures freshness, not the limit.
  await emulator.control('PATCH', '/pubsub/settings', { deliveryLimit: 10_000_000 })
  // Nor the org's daily API limit: three phases of 6,000 PATCHes, the syncs and the stream's reads by id.
  await emulator.control.settings({ dailyApiRequests: 50_000_000 })
  const moduleEnv = {
    CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    CRM_PUBSUB_ENDPOINT: emulator.pubSub.endpoint,
    CRM_PUBSUB_CA_FILE: join(dir, 'pubsub.pem'),
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ...(args.database ? { DATABASE_URL: args.database } : { DATA_DIR: 'memory://' }),
    ...moduleEnv,
  })
  await migrateToLatest(database.db)
  const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
  const { adminId, connectionId } = await connectEmulatorAsAdmin(deps, emulator, 'Bench admin')
  log(`initial sync of ${opportunities} opportunities`)
  await runSync(deps, connectionId, 'initial')
  const ids = [...emulator.org.records.allRecords('Opportunity')].map((r) => String(r['Id']))
  const token = await accessToken(emulator)

  log('real-time updates on')
  await setRealtime(deps, adminId, true)
  const realtime = startRealtimeUpdates(deps, createInProcessDispatcher(deps, {}), { tickMs: 200 })
  await waitUntil(
    'the change stream',
    async () => (await findStream(deps.db, connectionId))?.state === 'connected',
  )
  const cdc = await measure(deps, ids.slice(0, changes), 1, CDC_GRACE_MS)
  // Changes phase 1 did not see in time are applied before the kill phase counts events.
  await waitUntil(
    'the cache to equal the org after phase 1',
    async () => cacheEqualsOrg(await compareCacheWithOrg(deps.db, emulator.org)),
    300_000,
  )
  await realtime.stop()
  const kill = args.database
    ? await measureKill(args.database, ids.slice(2 * changes, 3 * changes))
    : { skipped: 'needs PostgreSQL (--database): on PGlite one process owns the database' }
  await setRealtime(deps, adminId, false)

  log(`polling alone: an incremental sync every ${pollMs / 1000} s`)
  let polling = true
  const poller = (async () => {
    while (polling) {
      const started = Date.now()
      await runSync(deps, connectionId, 'scheduled').catch((err: unknown) =>
        log(`sync failed: ${String(err)}`),
      )
      while (polling && Date.now() - started < pollMs) await sleep(100)
    }
  })()
  const poll = await measure(deps, ids.slice(changes, 2 * changes), 2, pollMs + CDC_GRACE_MS).finally(
    async () => {
      polling = false
      await poller
    },
  )

  console.log(
    JSON.stringify({
      opportunities,
      changes,
      ratePerSecond: rate,
      database: args.database ? 'postgres' : 'pglite',
      freshnessP50Ms: cdc.p50,
      freshnessP95Ms: cdc.p95,
      freshnessMaxMs: cdc.max,
      missed: cdc.missed,
      sentPerSecond: cdc.sentPerSecond,
      polling: {
        intervalSeconds: pollMs / 1000,
        freshnessP50Ms: poll.p50,
        freshnessP95Ms: poll.p95,
        freshnessMaxMs: poll.max,
        missed: poll.missed,
        sentPerSecond: poll.sentPerSecond,
      },
      subscriberKilled: kill,
      cacheEqualsOrgAtEnd: cacheEqualsOrg(await compareCacheWithOrg(deps.db, emulator.org)),
    }),
  )

  /**
   * The kill phase: a real sync worker holds the stream, this process competes for it; half-way through the
   * changes the worker is killed with SIGKILL and this process takes over from the stored replay id.
   */
  async function measureKill(databaseUrl: string, targets: string[]) {
    log('kill phase: a sync worker (its own process) takes the stream')
    const {
      child: worker,
      exited,
      output,
    } = spawnNode(['--import', 'tsx', new URL('../server/worker.ts', import.meta.url).pathname], {
      ...process.env,
      ...moduleEnv,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    })
    const workerHolder = `${hostname()}:${worker.pid}`
    let takeover: ReturnType<typeof startRealtimeUpdates> | undefined
    try {
      const stream = async () => findStream(deps.db, connectionId)
      await waitUntil(
        `the worker to hold the stream (${output()})`,
        async () => {
          const row = await stream()
          return row?.holder === workerHolder && row.state === 'connected'
        },
        300_000,
      )
      // This process competes for the stream from now on; the worker's advisory lock refuses it while it lives.
      takeover = startRealtimeUpdates(deps, createInProcessDispatcher(deps, {}), { tickMs: 200 })
      await takeover.tick()
      const before = await stream()
      if (before?.holder !== workerHolder) throw new Error(`the worker lost the stream to ${before?.holder}`)
      let killedAt = 0
      const result = await measure(deps, targets, 3, CDC_GRACE_MS, async () => {
        log(`kill phase: SIGKILL to the worker (pid ${worker.pid}) after ${targets.length / 2} changes`)
        worker.kill('SIGKILL')
        killedAt = performance.now()
        await exited
      })
      await waitUntil('this process to take the stream over', async () => {
        const row = await stream()
        return row?.holder === HOLDER && row.state === 'connected'
      })
      const after = await stream()
      const eventsApplied = (after?.events_applied ?? 0) - (before?.events_applied ?? 0)
      const comparison = await compareCacheWithOrg(deps.db, emulator.org)
      log(`kill phase: ${eventsApplied} events applied for ${targets.length} changes`)
      return {
        changes: targets.length,
        freshnessP50Ms: result.p50,
        freshnessP95Ms: result.p95,
        freshnessMaxMs: result.max,
        missed: result.missed,
        sentPerSecond: result.sentPerSecond,
        eventsApplied,
        appliedTwice: Math.max(0, eventsApplied - targets.length),
        // From the kill to the cache showing the first change sent after it (this process applied it).
        takeoverMs: round(
          Math.min(...result.arrivals.filter((a) => a.sentAt >= killedAt).map((a) => a.at)) - killedAt,
        ),
        cacheEqualsOrg: cacheEqualsOrg(comparison),
        comparison,
      }
    } finally {
      await takeover?.stop()
      if (worker.exitCode === null && worker.signalCode === null) {
        worker.kill('SIGKILL')
        await exited
      }
    }
  }

  /**
   * One change through the emulator's REST API, over a few kept-alive connections (patchAgent). A request whose
   * connection fails (ECONNRESET from the busy emulator) is tried again: setting the same Amount twice is one
   * change.
   */
  async function patchAmount(id: string, amount: number): Promise<void> {
    const body = JSON.stringify({ Amount: amount })
    for (let attempt = 1; ; attempt += 1) {
      const answer = await new Promise<{ status: number; text: string } | Error>((resolve) => {
        const req = http.request(
          `${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`,
          {
            method: 'PATCH',
            agent: patchAgent,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (response) => {
            let text = ''
            response.on('data', (chunk: Buffer) => (text += chunk.toString()))
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
            response.on('error', resolve)
          },
        )
        req.on('error', resolve)
        req.end(body)
      })
      if (answer instanceof Error) {
        if (attempt >= 10) throw answer
        await sleep(100 * attempt)
        continue
      }
      if (answer.status !== 204) throw new Error(`PATCH ${id}: ${answer.status} ${answer.text}`)
      return
    }
  }

  /**
   * Changes `targets` one by one at the steady rate (each PATCH sent when due, not after the one before
   * returned) and times each until the cache shows it; `halfway` runs once half of them are sent.
   */
  async function measure(
    deps: AppDeps,
    targets: string[],
    phase: number,
    graceMs: number,
    halfway?: () => Promise<void>,
  ) {
    const pending = new Map<string, { amount: number; sentAt: number }>()
    const seen: number[] = []
    const seenAt: Array<{ sentAt: number; at: number }> = []
    let watching = true
    const watcher = (async () => {
      while (watching) {
        if (pending.size > 0) {
          const rows = await deps.db
            .selectFrom('crm_opportunities')
            .select(['id', 'amount'])
            .where('id', 'in', [...pending.keys()])
            .execute()
          const now = performance.now()
          for (const row of rows) {
            const change = pending.get(row.id)
            if (change && row.amount === change.amount) {
              seen.push(now - change.sentAt)
              seenAt.push({ sentAt: change.sentAt, at: now })
              pending.delete(row.id)
            }
          }
        }
        await sleep(WATCH_MS)
      }
    })()
    const startedAt = performance.now()
    const sent: Array<Promise<void>> = []
    const failures: unknown[] = []
    let sentRate = 0
    try {
      for (let i = 0; i < targets.length; i += 1) {
        if (halfway && i === Math.floor(targets.length / 2)) await halfway()
        const due = startedAt + (i * 1000) / rate
        if (due > performance.now()) await sleep(due - performance.now())
        const id = targets[i] as string
        const amount = phase * 1_000_000 + i + 0.5
        pending.set(id, { amount, sentAt: performance.now() })
        sent.push(patchAmount(id, amount).catch((err: unknown) => void failures.push(err)))
      }
      await Promise.all(sent)
      if (failures.length > 0) throw failures[0]
      sentRate = targets.length / ((performance.now() - startedAt) / 1000)
      const deadline = performance.now() + graceMs
      while (pending.size > 0 && performance.now() < deadline) await sleep(50)
    } finally {
      watching = false
      await watcher
    }
    seen.sort((a, b) => a - b)
    log(`phase ${phase}: ${seen.length} of ${targets.length} changes seen (sent at ${sentRate.toFixed(1)}/s)`)
    return {
      sentPerSecond: Math.round(sentRate * 10) / 10,
      arrivals: seenAt,
      p50: round(percentile(seen, 50)),
      p95: round(percentile(seen, 95)),
      max: round(seen[seen.length - 1] ?? null),
      missed: pending.size,
    }
  }
} finally {
  patchAgent.destroy()
  await database.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}

function cacheEqualsOrg(c: Awaited<ReturnType<typeof compareCacheWithOrg>>): boolean {
  return c.lost === 0 && c.duplicated === 0 && c.stale === 0
}
