// `npm run soak:sync [-- --opportunities 100000 --cycles 10 --seed 1]`: kill -9 soak of the sync on PostgreSQL.
// The emulator (in this process, so the end can read the org directly) holds the opportunities; the real sync
// worker (`npm run worker`, its own process) runs a full sync, is killed with SIGKILL at a random point of it,
// restarted, and Synchronize is pressed (as an admin would), for --cycles kills, while the emulator edits and
// deletes records the whole time, as other Salesforce users would. Then edits stop, the run after the last kill
// finishes, one more Synchronize picks up the last changes, and the cache is compared with the org: lost,
// duplicated and stale counts, and per kill the recovery time (kill -> the next run commits a page).
// Works in a throwaway database on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres),
// dropped afterwards. Progress lines go to stderr; the last line on stdout is the JSON result.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

import pg from 'pg'
import pino from 'pino'

import { startEmulator, type RunningEmulator } from '../emulator/start-emulator.js'
import { loadConfig } from '../server/config.js'
import { createPgBossDispatcher, type SyncDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { startSync } from '../server/crm/sync/sync.service.js'
import { assembleDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPostgres, type Db } from '../server/storage/open-database.js'
import { connectEmulatorAsAdmin } from './bench-emulator-connection.js'
import { compareCacheWithOrg } from './soak-compare.js'
import { createMutator } from './soak-mutator.js'

const { values: args } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '100000' },
    cycles: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
})
const opportunities = Number(args.opportunities)
const cycles = Number(args.cycles)
const log = (message: string) => console.error(`[soak:sync] ${message}`)

// A seeded draw (mulberry32), so a run's kill points can be replayed with the same --seed.
let randomState = Number(args.seed) >>> 0
function random(): number {
  randomState = (randomState + 0x6d2b79f5) >>> 0
  let t = randomState
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

const POLL_MS = 50
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline)
      throw new Error(`soak: gave up waiting for ${what} after ${timeoutMs / 1000} s`)
    await sleep(POLL_MS)
  }
}

interface Worker {
  child: ChildProcess
  exited: Promise<unknown>
  /** Resolves with the time the worker logged that it is ready (its boot is the machine's, not the recovery's). */
  ready: Promise<number>
  stderr: () => string
}

/**
 * The real worker (what `npm run worker` runs: dist/server/worker.js, built by `npm run soak:sync` first). Not
 * through scripts/start.mjs, whose staleness check would rebuild on every restart after an edit to the tree.
 */
function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['dist/server/worker.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const ready = new Promise<number>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('sync worker ready')) resolve(Date.now())
      else if (/"level":(40|50|60)/.test(line)) stderr = (stderr + line + '\n').slice(-4000)
    })
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return { child, exited, ready, stderr: () => stderr }
}

async function main(): Promise<void> {
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `soak_sync_${randomBytes(4).toString('hex')}`
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  await adminQuery(serverUrl, `create database ${name}`)
  let emulator: RunningEmulator | undefined
  let database: ReturnType<typeof openPostgres> | undefined
  let dispatcher: SyncDispatcher | undefined
  let worker: Worker | undefined
  const mutatorStop: Array<() => Promise<void>> = []
  try {
    log(`emulator with ${opportunities} opportunities; database ${name}`)
    emulator = await startEmulator({ opportunities, seed: Number(args.seed) })
    await emulator.control.settings({ dailyApiRequests: 50_000_000 })
    const env = {
      DATABASE_URL: databaseUrl,
      CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CRM_ALLOWED_HOSTS: '127.0.0.1:*',
      // info: the worker's "ready" line tells its boot from the recovery; warnings are kept for a failure.
      LOG_LEVEL: 'info',
    }
    const config = loadConfig(env)
    database = openPostgres(databaseUrl, 4)
    await migrateToLatest(database.db)
    const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
    const { adminId } = await connectEmulatorAsAdmin(deps, emulator, 'Soak Admin')
    // This process plays the server's part an admin talks to (Synchronize); it works no jobs itself.
    dispatcher = await createPgBossDispatcher(deps, databaseUrl, {})
    const synchronize = async () => {
      const answer = await startSync(deps, dispatcher!, adminId, 'manual')
      if (answer.alreadyRunning)
        throw new Error(`Synchronize answered "already running" (run ${answer.run?.id})`)
    }

    const mutator = createMutator(emulator, random)
    mutatorStop.push(() => mutator.stop())
    const kills: Array<{
      cycle: number
      cachedAtKill: number
      runId: number
      runStatusAtKill: string
      killedAt: number
      recoverySeconds?: number
      afterReadySeconds?: number
    }> = []
    const started = Date.now()
    let lastRunId = 0
    for (let cycle = 1; cycle <= cycles + 1; cycle += 1) {
      worker = startWorker(env)
      const restartedAt = Date.now()
      await synchronize()
      const run = await waitUntil(
        'a new run to commit a page',
        async () => newRunWithProgress(database!.db, lastRunId),
        300_000,
      )
      const previous = kills[kills.length - 1]
      if (previous) {
        previous.recoverySeconds = round((Date.now() - previous.killedAt) / 1000)
        previous.afterReadySeconds = round((Date.now() - (await worker.ready)) / 1000)
        log(
          `kill ${previous.cycle}: next run ${run.id} committed a page ${previous.recoverySeconds} s after the kill ` +
            `(${round((Date.now() - restartedAt) / 1000)} s after the restart, ${previous.afterReadySeconds} s after the worker was ready)`,
        )
      }
      lastRunId = run.id
      if (cycle > cycles) break
      // A random point of what is left of the full pass, so the kills spread over it.
      const cachedNow = await cachedCount(database.db)
      const left = opportunities - cachedNow
      const target = cachedNow + Math.floor((left * (0.2 + 0.8 * random())) / (cycles - cycle + 2))
      const reached = await waitUntil(
        `the cache to reach ${target} records (or the run to end)`,
        async () => {
          const count = await cachedCount(database!.db)
          if (count >= target) return count
          return (await runStatus(database!.db, run.id)) === 'running' ? undefined : count
        },
        600_000,
      )
      // Between pages or in the middle of one: a random moment within the next half second.
      await sleep(Math.floor(random() * 500))
      worker.child.kill('SIGKILL')
      await worker.exited
      const killedAt = Date.now()
      const status = await runStatus(database.db, run.id)
      kills.push({ cycle, cachedAtKill: reached, runId: run.id, runStatusAtKill: status, killedAt })
      log(`kill ${cycle}/${cycles}: run ${run.id} (${status}) with ${reached} of ${opportunities} cached`)
    }

    // Edits stop; the run after the last kill finishes, then one more run takes in the last changes.
    await mutator.stop()
    const finish = async (runId: number) =>
      waitUntil(
        `run ${runId} to finish`,
        async () => {
          const status = await runStatus(database!.db, runId)
          return status === 'running' ? undefined : status
        },
        1_200_000,
      )
    const afterLastKill = await finish(lastRunId)
    log(`run ${lastRunId} after the last kill: ${afterLastKill}`)
    await synchronize()
    const final = await waitUntil('the final run', async () => newRun(database!.db, lastRunId), 120_000)
    const finalStatus = await finish(final)
    log(`final run ${final}: ${finalStatus}`)
    const comparison = await compareCacheWithOrg(database.db, emulator.org)
    const recoveries = kills.map((k) => k.recoverySeconds ?? Number.NaN).sort((a, b) => a - b)
    const runs = await database.db
      .selectFrom('crm_sync_runs')
      .select(['id', 'status', 'error_code', 'method', 'records_fetched'])
      .orderBy('id')
      .execute()
    console.log(
      JSON.stringify({
        engine: 'postgres',
        opportunities,
        kills: kills.length,
        killedWithCached: kills.map((k) => k.cachedAtKill),
        // "running" for a kill during the sync; "succeeded" when the run ended before its kill point.
        runStatusAtKill: kills.map((k) => k.runStatusAtKill),
        recoverySecondsEach: kills.map((k) => k.recoverySeconds ?? null),
        recoveryP50Seconds: recoveries[Math.floor((recoveries.length - 1) / 2)] ?? null,
        recoveryMaxSeconds: recoveries[recoveries.length - 1] ?? null,
        // The same, counted from the restarted worker's "ready" line: what is left once the process has booted.
        afterReadySecondsEach: kills.map((k) => k.afterReadySeconds ?? null),
        mutations: mutator.counts(),
        ...comparison,
        runAfterLastKill: afterLastKill,
        finalRun: finalStatus,
        runs: runs.map(
          (r) => `${r.id}:${r.method ?? '-'}:${r.status}${r.error_code ? `(${r.error_code})` : ''}`,
        ),
        totalSeconds: round((Date.now() - started) / 1000),
      }),
    )
  } catch (err) {
    if (worker) log(`worker stderr (last lines): ${worker.stderr()}`)
    throw err
  } finally {
    for (const stop of mutatorStop) await stop()
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL')
      await worker.exited
    }
    await dispatcher?.stop()
    await database?.close()
    await emulator?.close()
    await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
  }
}

async function newRunWithProgress(db: Db, afterId: number) {
  return db
    .selectFrom('crm_sync_runs')
    .select(['id'])
    .where('id', '>', afterId)
    .where('progress_at', 'is not', null)
    .orderBy('id')
    .executeTakeFirst()
}

async function newRun(db: Db, afterId: number): Promise<number | undefined> {
  const row = await db.selectFrom('crm_sync_runs').select('id').where('id', '>', afterId).executeTakeFirst()
  return row?.id
}

async function runStatus(db: Db, id: number): Promise<string> {
  const row = await db.selectFrom('crm_sync_runs').select('status').where('id', '=', id).executeTakeFirst()
  return row?.status ?? 'missing'
}

async function cachedCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('crm_opportunities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

await main()
