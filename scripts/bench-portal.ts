// npm run bench:portal [-- --seconds 10 --concurrency 100 --opportunities 1000000]
//
// Seeds 1,000,000 opportunities, 10,000 users and 100,000 assignments with set-based SQL, starts the real app
// on loopback in a child process (so the load generator does not steal the server's CPU), signs in a member
// and an admin, and puts N concurrent keep-alive clients on the member's list, the admin's search and the bare
// /healthz route, one phase after the other; on PostgreSQL the member's list once more, quiet and then during a
// full sync of 100,000 emulated records into the same database (--sync-opportunities, bench-portal-sync.ts). On PostgreSQL (DATABASE_URL) it works in a throwaway database it
// drops afterwards; otherwise on PGlite in a temporary folder. The last line printed is the JSON result.
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import pg from 'pg'

import { BENCH_PASSWORD, startBenchServer, type ServerReady } from './bench-portal-server.js'
import { measureDuringSync } from './bench-portal-sync.js'

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '100' },
    opportunities: { type: 'string', default: '1000000' },
    // The during-sync phase: a full sync of this many emulated records (default 100000 on PostgreSQL, 0 = off).
    'sync-opportunities': { type: 'string' },
    // Keep the seeded PostgreSQL database (bench_portal_keep) and reuse it on the next run.
    keep: { type: 'boolean', default: false },
  },
})

// Declared before the top-level await below, which runs the phases that call it.
let uniqueDays = 0
/** A different date on every call, far past any close date, so the filter keeps every row. */
function uniqueDate(): string {
  return new Date(Date.UTC(2100, 0, 1) + uniqueDays++ * 86_400_000).toISOString().slice(0, 10)
}

if (args.serve) {
  await startBenchServer(Number(args.opportunities))
} else {
  await runBenchmark()
}

async function runBenchmark(): Promise<void> {
  const seconds = Number(args.seconds)
  const concurrency = Number(args.concurrency)
  const serverUrl = process.env['DATABASE_URL']
  const throwaway = serverUrl ? await createBenchDatabase(serverUrl, args.keep) : undefined
  const dataDir = serverUrl ? undefined : mkdtempSync(join(tmpdir(), 'bench-portal-'))
  const child = fork(process.argv[1]!, ['--serve', '--opportunities', args.opportunities], {
    execArgv: process.execArgv,
    env: {
      ...process.env,
      ...(throwaway ? { DATABASE_URL: throwaway.url } : { DATA_DIR: dataDir }),
      DATABASE_POOL_SIZE: '10',
      CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    },
  })
  try {
    const ready = await waitForReady(child)
    const base = `http://127.0.0.1:${ready.port}`
    const memberCookie = await signIn(base, ready.memberEmail)
    const adminCookie = await signIn(base, ready.adminEmail)
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
    const load = (name: string, cookie: string | undefined, paths: () => string, until?: () => boolean) =>
      runPhase({ name, base, agent, cookie, paths, seconds, concurrency, until })

    await load('warm-up', memberCookie, () => '/api/crm/opportunities').catch(() => undefined)
    const memberList = await load('member list', memberCookie, () => '/api/crm/opportunities')
    let next = 0
    const searchPath = () => {
      const term = ready.searchTerms[next++ % ready.searchTerms.length]!
      return `/api/admin/crm/opportunities?search=${encodeURIComponent(term)}`
    }
    const adminSearch = await load('admin search', adminCookie, searchPath)
    const adminTotals = await load('admin search totals', adminCookie, () =>
      searchPath().replace('/opportunities?', '/opportunities/totals?'),
    )
    // The same two lists with a filter that changes every request and matches the same rows: each request
    // misses the read cache, so these phases measure the database queries themselves.
    const memberListUncached = await load(
      'member list, uncached',
      memberCookie,
      () => `/api/crm/opportunities?closeDateTo=${uniqueDate()}`,
    )
    const adminSearchUncached = await load(
      'admin search, uncached',
      adminCookie,
      () => `${searchPath()}&closeDateTo=${uniqueDate()}`,
    )
    const adminSearchByTermMs = await timeEachTerm(base, agent, adminCookie, ready.searchTerms)
    const bareRoute = await load('bare route', undefined, () => '/healthz')
    // The floor of any signed-in route: the session check plus one tiny query (GET /api/modules).
    const signedInRoute = await load('signed-in minimal route', memberCookie, () => '/api/modules')
    const syncCount = Number(args['sync-opportunities'] ?? (serverUrl ? 100_000 : 0))
    // Last: the sync's reconciliation afterwards marks the seeded rows deleted (they are not in the emulator).
    const duringSync =
      syncCount > 0
        ? await measureDuringSync(
            child,
            (name, until) => load(name, memberCookie, () => '/api/crm/opportunities', until),
            syncCount,
          )
        : undefined
    agent.destroy()

    const result = {
      engine: serverUrl ? 'postgres' : 'pglite',
      opportunities: ready.opportunities,
      users: ready.users,
      assignments: ready.assignments,
      memberAssignedCount: ready.memberAssignedCount,
      seedSeconds: ready.seedSeconds,
      concurrency,
      phaseSeconds: seconds,
      memberListP50Ms: memberList.p50,
      memberListP95Ms: memberList.p95,
      memberListRps: memberList.rps,
      adminSearchP50Ms: adminSearch.p50,
      adminSearchP95Ms: adminSearch.p95,
      adminSearchRps: adminSearch.rps,
      memberListUncachedP95Ms: memberListUncached.p95,
      memberListUncachedRps: memberListUncached.rps,
      adminSearchUncachedP95Ms: adminSearchUncached.p95,
      adminSearchUncachedRps: adminSearchUncached.rps,
      adminSearchTerms: ready.searchTerms,
      adminSearchByTermMs,
      adminTotalsP95Ms: adminTotals.p95,
      adminTotalsRps: adminTotals.rps,
      bareRouteP95Ms: bareRoute.p95,
      bareRouteRps: bareRoute.rps,
      signedInRouteP95Ms: signedInRoute.p95,
      signedInRouteRps: signedInRoute.rps,
      duringSync,
      memberListShareOfBare: round(memberList.rps / bareRoute.rps),
      errors:
        memberList.errors +
        adminSearch.errors +
        adminTotals.errors +
        bareRoute.errors +
        signedInRoute.errors +
        memberListUncached.errors +
        adminSearchUncached.errors,
      targets: {
        memberListP95: memberList.p95 <= 50,
        memberListThroughput: memberList.rps >= 0.3 * bareRoute.rps,
        adminSearchP95: adminSearch.p95 <= 150,
        ...(duringSync ? { memberListDuringSyncWithin2x: duringSync.p95Ratio <= 2 } : {}),
      },
    }
    console.log(JSON.stringify(result))
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    if (throwaway) await throwaway.drop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

interface PhaseResult {
  p50: number
  p95: number
  rps: number
  errors: number
}

async function runPhase(options: {
  name: string
  base: string
  agent: http.Agent
  cookie: string | undefined
  paths: () => string
  seconds: number
  concurrency: number
  /** Ends the phase early (the during-sync phase lasts as long as the sync writes, up to 10 minutes). */
  until?: (() => boolean) | undefined
}): Promise<PhaseResult> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const endAt = started + (options.until ? 600 : options.seconds) * 1000
  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000
    console.log(
      `  ${options.name}: ${latencies.length} requests, ${Math.round(latencies.length / elapsed)} req/s`,
    )
  }, 2000)
  const client = async () => {
    while (performance.now() < endAt && !options.until?.()) {
      const begin = performance.now()
      const status = await get(options.base + options.paths(), options.agent, options.cookie)
      if (status !== 200) errors += 1
      latencies.push(performance.now() - begin)
    }
  }
  console.log(
    `${options.name}: ${options.concurrency} clients ${options.until ? 'while it lasts' : `for ${options.seconds} s`}`,
  )
  await Promise.all(Array.from({ length: options.concurrency }, client))
  clearInterval(progress)
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0)
  const result = { p50: at(0.5), p95: at(0.95), rps: Math.round(latencies.length / elapsed), errors }
  console.log(`${options.name}: ${JSON.stringify(result)}`)
  return result
}

/**
 * Each search alone (one client, median of 20, past the read cache), so a slow kind of term is visible and
 * not averaged away.
 */
async function timeEachTerm(base: string, agent: http.Agent, cookie: string, terms: string[]) {
  const result: Record<string, number> = {}
  for (const term of terms) {
    const times: number[] = []
    for (let i = 0; i < 20; i += 1) {
      const begin = performance.now()
      const url = `${base}/api/admin/crm/opportunities?search=${encodeURIComponent(term)}&closeDateTo=${uniqueDate()}`
      await get(url, agent, cookie)
      times.push(performance.now() - begin)
    }
    result[term] = round(times.sort((a, b) => a - b)[10]!)
  }
  console.log(`admin search, each term alone (median ms): ${JSON.stringify(result)}`)
  return result
}

function get(url: string, agent: http.Agent, cookie: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, headers: cookie ? { cookie } : {} }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('error', () => resolve(0))
  })
}

async function signIn(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  })
  if (!response.ok) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('crm_session='))
  if (!cookie) throw new Error('no session cookie')
  return cookie.split(';')[0]!
}

function waitForReady(child: ChildProcess): Promise<ServerReady> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServerReady))
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)))
  })
}

async function createBenchDatabase(
  url: string,
  keep: boolean,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = keep ? 'bench_portal_keep' : `bench_portal_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await client.query(statement)
    } finally {
      await client.end()
    }
  }
  const exists = keep && (await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount === 1
  if (!exists) await admin(`create database ${name}`)
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  const drop = async () => {
    if (!keep) await admin(`drop database if exists ${name} with (force)`)
  }
  return { url: parsed.toString(), drop }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
