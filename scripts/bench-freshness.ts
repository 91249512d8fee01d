// `npm run bench:freshness [-- --opportunities 2000 --changes 200 --rate 20 --poll-seconds 60]`: how soon a
// change made in Salesforce is in the module's cache, with real-time updates (Change Data Capture over the
// Pub/Sub API) and with polling alone, side by side in one run against the local emulator (in this process).
// Each change is a PATCH of one record's Amount to a value nobody else writes, through the emulator's REST API,
// at a steady --rate; its freshness is the time from sending the PATCH to the cache row holding the value (the
// cache is read every 20 ms). Polling alone runs an incremental sync every --poll-seconds (60: the shortest
// interval Sync Settings allow). A change not seen within the wait is `missed`. Database: embedded PGlite, or
// PostgreSQL with --database <url> (a database of its own: the bench adds a connection to it).
// Progress goes to stderr; the last line on stdout is the JSON result.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import pino from 'pino'

import { startEmulator } from '../emulator/start-emulator.js'
import { accessToken } from '../emulator/testing/access-token.js'
import { loadConfig } from '../server/config.js'
import { findStream } from '../server/crm/cdc/cdc-streams.repository.js'
import { setRealtime } from '../server/crm/cdc/realtime.service.js'
import { startRealtimeUpdates } from '../server/crm/cdc/realtime-updates.js'
import { createInProcessDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { runSync } from '../server/crm/sync/sync-run.js'
import { assembleDeps, type AppDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPglite, openPostgres } from '../server/storage/open-database.js'
import { connectEmulatorAsAdmin } from './bench-emulator-connection.js'

const { values: args } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '2000' },
    changes: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    'poll-seconds': { type: 'string', default: '60' },
    database: { type: 'string' },
  },
})
const opportunities = Number(args.opportunities)
const changes = Math.min(Number(args.changes), Math.floor(opportunities / 2))
const rate = Number(args.rate)
const pollMs = Number(args['poll-seconds']) * 1000
const log = (message: string) => console.error(`[bench:freshness] ${message}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const WATCH_MS = 20
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
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ...(args.database ? { DATABASE_URL: args.database } : { DATA_DIR: 'memory://' }),
    CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    CRM_PUBSUB_ENDPOINT: emulator.pubSub.endpoint,
    CRM_PUBSUB_CA_FILE: join(dir, 'pubsub.pem'),
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
  await setRealtime(deps, adminId, false)
  await realtime.stop()

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
  const poll = await measure(deps, ids.slice(changes, 2 * changes), 2, pollMs + CDC_GRACE_MS)
  polling = false
  await poller

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
      polling: {
        intervalSeconds: pollMs / 1000,
        freshnessP50Ms: poll.p50,
        freshnessP95Ms: poll.p95,
        freshnessMaxMs: poll.max,
        missed: poll.missed,
      },
    }),
  )

  /** Changes `targets` one by one at the steady rate and times each until the cache shows it. */
  async function measure(deps: AppDeps, targets: string[], phase: number, graceMs: number) {
    const pending = new Map<string, { amount: number; sentAt: number }>()
    const seen: number[] = []
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
              pending.delete(row.id)
            }
          }
        }
        await sleep(WATCH_MS)
      }
    })()
    const startedAt = performance.now()
    for (let i = 0; i < targets.length; i += 1) {
      const due = startedAt + (i * 1000) / rate
      if (due > performance.now()) await sleep(due - performance.now())
      const id = targets[i] as string
      const amount = phase * 1_000_000 + i + 0.5
      const sentAt = performance.now()
      pending.set(id, { amount, sentAt })
      const response = await fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Amount: amount }),
      })
      if (response.status !== 204) throw new Error(`PATCH ${id}: ${response.status} ${await response.text()}`)
    }
    const deadline = performance.now() + graceMs
    while (pending.size > 0 && performance.now() < deadline) await sleep(50)
    watching = false
    await watcher
    seen.sort((a, b) => a - b)
    log(`phase ${phase}: ${seen.length} of ${targets.length} changes seen`)
    return {
      p50: round(percentile(seen, 50)),
      p95: round(percentile(seen, 95)),
      max: round(seen[seen.length - 1] ?? null),
      missed: pending.size,
    }
  }
} finally {
  await database.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
