// `npm run bench:sync -- --opportunities 100000`: starts the emulator, runs a full sync into PostgreSQL
// (DATABASE_URL) or embedded PGlite, then an incremental sync after the emulator changes 1% of the records,
// and in the same run a baseline: the same records fetched with jsforce only, no database. Prints progress and,
// as its last line, JSON with the figures.
// The change timeline's cost (issue 15: at most 10% of the incremental rate) is measured in the same run:
// --tracking-rounds rounds, each an incremental sync after --tracking-percent of the records changed, and a
// full re-sync (a connection's later full syncs write history; its first never does) after as many changed, once
// with the default tracked fields and once with none (won, lost and deleted are always compared), alternating
// which goes first. The medians are reported as the rates with tracking on and off.
// npm runs it compiled (dist/scripts/bench-sync.js), the way `npm start` and `npm run worker` run the module:
// under tsx the process starts about 75 MB larger (its loader and the transformed sources), which is not the sync's.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'

import jsforce from '@jsforce/jsforce-node'
import pg from 'pg'
import pino from 'pino'
import { sql } from 'kysely'

import type { LoggedRequest } from '../emulator/org/org.js'
import { loadConfig } from '../server/config.js'
import { readTrackedFields, writeFeedSettings } from '../server/crm/feed/feed-settings.repository.js'
import { upsertOpportunities } from '../server/crm/sync/opportunity-upsert.repository.js'
import { DEFAULT_TUNING } from '../server/crm/sync/sync-context.js'
import { runSync } from '../server/crm/sync/sync-run.js'
import { assembleDeps } from '../server/deps.js'
import { applyHeapPolicy } from '../server/heap-policy.js'
import {
  KEY_FIELDS,
  planFields,
  STANDARD_OPPORTUNITY_FIELDS,
} from '../server/providers/salesforce/opportunity-fields.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openDatabase, type Db } from '../server/storage/open-database.js'
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js'
import { connectEmulatorAsAdmin } from './bench-emulator-connection.js'

const { values } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '100000' },
    'bulk-threshold': { type: 'string' },
    'bulk-page': { type: 'string' },
    'tracking-rounds': { type: 'string', default: '3' },
    'tracking-percent': { type: 'string', default: '5' },
  },
})
const opportunities = Number(values.opportunities)
const log = (message: string) => console.error(`[bench:sync] ${message}`)

let peakRss = 0
let peakHeap = 0
const sampler = setInterval(() => {
  const usage = process.memoryUsage()
  peakRss = Math.max(peakRss, usage.rss)
  peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external)
}, 100)
const startRss = process.memoryUsage().rss
// What the sync really holds: the heap just after each full (mark-compact) collection V8 chose to run. Observed,
// not forced, so the RSS figures stay those of an undisturbed process.
let peakLiveHeap = 0
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed)
  }
})
gcObserver.observe({ entryTypes: ['gc'] })

// Everything the bench creates (the emulator process, the database or data folder, timers) goes in `finally`,
// so a failed run leaves nothing behind.
async function main(): Promise<void> {
  let emulator: EmulatorProcess | undefined
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined
  let dataDir: string | undefined
  let benchDatabase: string | undefined
  let progress: NodeJS.Timeout | undefined
  const databaseUrl = process.env['DATABASE_URL']
  try {
    log(
      `starting the emulator with ${opportunities} opportunities (its own process, so memory figures are the sync's)`,
    )
    emulator = await startEmulatorProcess(opportunities)
    await emulator.control.settings({ dailyApiRequests: 5_000_000 })

    // The module: a fresh database, the real Setup path, a full sync, then an incremental one.
    let storageEnv: Record<string, string>
    if (databaseUrl) {
      benchDatabase = `bench_sync_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      await admin.query(`create database ${benchDatabase}`)
      await admin.end()
      const url = new URL(databaseUrl)
      url.pathname = `/${benchDatabase}`
      storageEnv = { DATABASE_URL: url.toString() }
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'bench-sync-'))
      storageEnv = { DATA_DIR: dataDir }
    }
    const config = loadConfig({
      ...storageEnv,
      CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CRM_ALLOWED_HOSTS: '127.0.0.1:*',
      HEAP_GROWTH_PERCENT: process.env['HEAP_GROWTH_PERCENT'],
    })
    // The same heap policy as the server and the workers (HEAP_GROWTH_PERCENT=0 measures V8's own).
    applyHeapPolicy(config.heapGrowthPercent)
    database = await openDatabase(config.storage)
    await migrateToLatest(database.db)
    const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
    const { adminId, connectionId } = await connectEmulatorAsAdmin(deps, emulator, 'Bench')
    if (values['bulk-threshold'] !== undefined) {
      await database.db
        .insertInto('crm_sync_state')
        .values({ connection_id: connectionId, bulk_threshold: Number(values['bulk-threshold']) })
        .execute()
    }
    progress = setInterval(() => {
      void database?.db
        .selectFrom('crm_sync_runs')
        .select(['records_fetched', 'records_total'])
        .where('status', '=', 'running')
        .executeTakeFirst()
        .then((run) => {
          if (run) log(`full sync: ${run.records_fetched} of ${run.records_total ?? '?'} records`)
        })
    }, 2000)
    await emulator.control.clearRequests()
    // Peaks count from here. Creating a new PGlite data folder runs initdb in a throwaway instance whose ~630 MB of
    // WebAssembly memory is garbage once it closes (storage/open-database.ts); a server collects it long before it
    // syncs anything, so the bench collects it too instead of reporting it as the sync's memory.
    ;(globalThis as { gc?: () => void }).gc?.()
    const syncStartRss = process.memoryUsage().rss
    peakRss = syncStartRss
    peakHeap = 0
    const fullStarted = performance.now()
    // --bulk-page overrides the records per Bulk results page (DEFAULT_TUNING.bulkMaxRecords) to compare sizes.
    const tuning = values['bulk-page'] ? { bulkMaxRecords: Number(values['bulk-page']) } : {}
    const full = await runSync(deps, connectionId, 'initial', { tuning })
    const fullSeconds = (performance.now() - fullStarted) / 1000
    const fullRun = await database.db
      .selectFrom('crm_sync_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    log(
      `full sync ${full.started ? full.status : 'not started'}: ${fullRun.records_fetched} records in ${fullSeconds.toFixed(1)} s, ${fullRun.api_calls} API calls (${fullRun.method})`,
    )

    const fullCalls = callsByKind(await emulator.control.requests())
    log(`full sync API calls by kind: ${JSON.stringify(fullCalls)}`)

    await emulator.control.advanceClock(1000)
    const mutated = await emulator.control.mutateOpportunities({ percent: 1, seed: 2 })
    const incrementalStarted = performance.now()
    await runSync(deps, connectionId, 'scheduled', { tuning })
    const incrementalSeconds = (performance.now() - incrementalStarted) / 1000
    const incrementalRun = await database.db
      .selectFrom('crm_sync_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    log(
      `incremental sync ${incrementalRun.status}: ${mutated.changed} changed, ${incrementalRun.records_fetched} fetched in ${incrementalSeconds.toFixed(1)} s, ${incrementalRun.api_calls} API calls`,
    )

    const syncPeakRss = peakRss
    const syncPeakHeap = peakHeap
    const tracking = await compareTracking(deps, emulator, { adminId, connectionId, tuning })
    // The fetch-only baseline comes first, while the emulator's connections are fresh: after the minutes the
    // store-only baseline takes at 1,000,000 records, its first request once met a connection the emulator had dropped.
    ;(globalThis as { gc?: () => void }).gc?.()
    peakRss = process.memoryUsage().rss
    const { fetched, fetchSeconds } = await fetchWithJsforceOnly(emulator, config.crm.apiVersion)
    const baselinePeakRss = peakRss
    emulator.close()
    emulator = undefined
    const { stored, storeSeconds } = await storeOnly(
      database.db,
      tuning.bulkMaxRecords ?? DEFAULT_TUNING.bulkMaxRecords,
    )

    const recordsPerSecond = Math.round(fullRun.records_fetched / fullSeconds)
    const fetchOnlyRecordsPerSecond = Math.round(fetched / fetchSeconds)
    const storeOnlyRecordsPerSecond = Math.round(stored / storeSeconds)
    console.log(
      JSON.stringify({
        engine: databaseUrl ? 'postgres' : 'pglite',
        opportunities,
        status: fullRun.status,
        method: fullRun.method,
        fullSyncSeconds: Number(fullSeconds.toFixed(2)),
        recordsPerSecond,
        fetchOnlyRecordsPerSecond,
        shareOfFetchOnly: Number((recordsPerSecond / fetchOnlyRecordsPerSecond).toFixed(2)),
        // The other ceiling: the same rows written page by page by the sync's own upsert, with no fetching.
        storeOnlyRecordsPerSecond,
        shareOfStoreOnly: Number((recordsPerSecond / storeOnlyRecordsPerSecond).toFixed(2)),
        apiCalls: fullRun.api_calls,
        minimumApiCalls: Math.ceil(opportunities / 2000),
        // What the calls were (see callsByKind), and those that read Opportunity records, COUNT() included.
        fullSyncCallsByKind: fullCalls,
        opportunityCalls:
          (fullCalls['queriesOpportunity'] ?? 0) +
          (fullCalls['bulkJobCreate'] ?? 0) +
          (fullCalls['bulkJobPolls'] ?? 0) +
          (fullCalls['bulkResultPages'] ?? 0),
        incrementalChanged: mutated.changed,
        incrementalSeconds: Number(incrementalSeconds.toFixed(2)),
        incrementalApiCalls: incrementalRun.api_calls,
        // The change timeline on (default tracked fields) and off (none tracked), medians of the rounds.
        ...tracking,
        peakRssMb: Math.round(syncPeakRss / 1_048_576),
        heapGrowthPercent: config.heapGrowthPercent,
        // JavaScript memory (heap in use + buffers, PGlite's WebAssembly memory included) at its highest during the
        // syncs; the process at start, and once the database was open and migrated, just before the full sync.
        peakHeapMb: Math.round(syncPeakHeap / 1_048_576),
        startRssMb: Math.round(startRss / 1_048_576),
        syncStartRssMb: Math.round(syncStartRss / 1_048_576),
        peakLiveHeapMb: Math.round(peakLiveHeap / 1_048_576),
        baselinePeakRssMb: Math.round(baselinePeakRss / 1_048_576),
      }),
    )
  } finally {
    clearInterval(progress)
    clearInterval(sampler)
    gcObserver.disconnect()
    emulator?.close()
    await database?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    if (databaseUrl && benchDatabase) {
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      await admin.query(`drop database if exists ${benchDatabase} with (force)`)
      await admin.end()
    }
  }
}

/** records fetched / seconds of one sync run, and the system entries it wrote. */
async function timedRun(
  deps: ReturnType<typeof assembleDeps>,
  connectionId: string,
  trigger: 'initial' | 'scheduled',
  tuning: Record<string, number>,
): Promise<{ rate: number; entries: number }> {
  const count = async () =>
    Number(
      (
        await deps.db
          .selectFrom('crm_feed_posts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'system')
          .executeTakeFirstOrThrow()
      ).n,
    )
  const before = await count()
  const started = performance.now()
  const result = await runSync(deps, connectionId, trigger, { tuning })
  const seconds = (performance.now() - started) / 1000
  const run = await deps.db
    .selectFrom('crm_sync_runs')
    .select(['records_fetched', 'status'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  if (!result.started || run.status !== 'succeeded') throw new Error(`a ${trigger} sync ended ${run.status}`)
  return { rate: Math.round(run.records_fetched / seconds), entries: (await count()) - before }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2)
}

/**
 * The same incremental and full re-syncs with the timeline tracking the default fields and none, in rounds that
 * alternate which goes first (so a machine getting busier does not favour one). Each run follows its own
 * --tracking-percent change of the records (Amount, a tracked field).
 */
async function compareTracking(
  deps: ReturnType<typeof assembleDeps>,
  emulator: EmulatorProcess,
  target: { adminId: string; connectionId: string; tuning: Record<string, number> },
) {
  const rounds = Number(values['tracking-rounds'])
  const percent = Number(values['tracking-percent'])
  const defaults = await readTrackedFields(deps.db)
  const rates = {
    incremental: { on: [] as number[], off: [] as number[] },
    full: { on: [] as number[], off: [] as number[] },
  }
  const entries = { on: 0, off: 0 }
  let seed = 10
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of ['incremental', 'full'] as const) {
      for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        await writeFeedSettings(
          deps.db,
          { trackedFields: mode === 'on' ? defaults : [] },
          target.adminId,
          new Date(),
        )
        await emulator.control.advanceClock(1000)
        await emulator.control.mutateOpportunities({ percent, seed: (seed += 1) })
        const run = await timedRun(
          deps,
          target.connectionId,
          kind === 'full' ? 'initial' : 'scheduled',
          target.tuning,
        )
        rates[kind][mode].push(run.rate)
        entries[mode] += run.entries
        log(
          `tracking ${mode}, ${kind} sync (round ${round + 1}): ${run.rate} records/s, ${run.entries} timeline entries`,
        )
      }
    }
  }
  await writeFeedSettings(deps.db, { trackedFields: defaults }, target.adminId, new Date())
  const on = { incremental: median(rates.incremental.on), full: median(rates.full.on) }
  const off = { incremental: median(rates.incremental.off), full: median(rates.full.off) }
  return {
    trackingRounds: rounds,
    trackingPercent: percent,
    incrementalRateTrackingOn: on.incremental,
    incrementalRateTrackingOff: off.incremental,
    // on / off: 1 means tracking costs nothing; the target is at least 0.9.
    incrementalRatioTrackingOnOff: Number((on.incremental / off.incremental).toFixed(3)),
    fullRateTrackingOn: on.full,
    fullRateTrackingOff: off.full,
    fullRatioTrackingOnOff: Number((on.full / off.full).toFixed(3)),
    timelineEntriesTrackingOn: entries.on,
    timelineEntriesTrackingOff: entries.off,
    trackingRates: rates,
  }
}

/**
 * Baseline: the database alone. The synced rows are read back page by page (by id) and written, with the sync's
 * own upsert, into an empty copy of the cache table with the same indexes (schema store_only, found first on the
 * search path); only the writes are timed. What it leaves out: the copy has no foreign key to the connection
 * (about 5% of a write, measured) and no change-notification trigger (one notification per page).
 */
async function storeOnly(db: Db, pageSize: number): Promise<{ stored: number; storeSeconds: number }> {
  log('baseline: storing the same rows with no fetching')
  await sql`create schema store_only`.execute(db)
  await sql`create table store_only.crm_opportunities (like public.crm_opportunities including all)`.execute(
    db,
  )
  let stored = 0
  let writing = 0
  let after = ''
  for (;;) {
    const read = await db
      .selectFrom('crm_opportunities')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute()
    if (read.length === 0) break
    // As the sync hands them over: extra fields as JSON text.
    const rows = read.map((row) => ({ ...row, extra_fields: JSON.stringify(row.extra_fields) }))
    after = rows[rows.length - 1]?.id ?? after
    const started = performance.now()
    await db.transaction().execute(async (trx) => {
      await sql`set local search_path = store_only, public`.execute(trx)
      await upsertOpportunities(trx, rows)
    })
    writing += performance.now() - started
    stored += rows.length
  }
  await sql`drop schema store_only cascade`.execute(db)
  log(`baseline stored ${stored} records in ${(writing / 1000).toFixed(1)} s`)
  return { stored, storeSeconds: writing / 1000 }
}

/** Baseline: jsforce alone pages through the same query, no database. Runs after the module's syncs, so
 * the peak memory reported for the sync is not inflated by the baseline's garbage. */
async function fetchWithJsforceOnly(
  emulator: EmulatorProcess,
  apiVersion: string,
): Promise<{ fetched: number; fetchSeconds: number }> {
  log('baseline: fetching with jsforce only')
  const conn = new jsforce.Connection({
    loginUrl: emulator.url,
    version: apiVersion,
    oauth2: {
      clientId: emulator.credentials.consumerKey,
      clientSecret: emulator.credentials.consumerSecret,
      loginUrl: emulator.url,
    },
  })
  await conn.login(
    emulator.credentials.username,
    emulator.credentials.password + emulator.credentials.securityToken,
  )
  // The sync's own field plan for an org that shows every field (the emulator's org has one currency).
  const fields = planFields(new Set([...KEY_FIELDS, ...STANDARD_OPPORTUNITY_FIELDS]), []).select.join(', ')
  let fetched = 0
  const fetchStarted = performance.now()
  let page = await conn.request<{ records: unknown[]; done: boolean; nextRecordsUrl?: string }>({
    method: 'GET',
    url: `/services/data/v${apiVersion}/queryAll?q=${encodeURIComponent(`SELECT ${fields} FROM Opportunity ORDER BY SystemModstamp ASC, Id ASC`)}`,
    headers: { 'Sforce-Query-Options': 'batchSize=2000' },
  })
  for (;;) {
    fetched += page.records.length
    if (page.done || !page.nextRecordsUrl) break
    page = await conn.request({
      method: 'GET',
      url: page.nextRecordsUrl,
      headers: { 'Sforce-Query-Options': 'batchSize=2000' },
    })
  }
  const fetchSeconds = (performance.now() - fetchStarted) / 1000
  log(`baseline fetched ${fetched} records in ${fetchSeconds.toFixed(1)} s`)
  return { fetched, fetchSeconds }
}

/**
 * Sorts the emulator's request log of the REST API (sign-in excluded) by what each call was for: the Opportunity
 * export (Bulk job, polls and result pages, or REST query pages and the COUNT()), the other objects' query pages
 * (OpportunityTeamMember and User, which bring their own records), and the rest (limits, describe, Get Deleted).
 */
function callsByKind(requests: LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { method, path, object } of requests) {
    if (!path.startsWith('/services/data/')) continue
    const kind = path.includes('/jobs/query')
      ? method === 'POST'
        ? 'bulkJobCreate'
        : path.endsWith('/results')
          ? 'bulkResultPages'
          : 'bulkJobPolls'
      : /\/query(All)?(\/|$)/.test(path)
        ? `queries${object ?? ''}`
        : 'other'
    counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

await main()
