// `npm run bench:freshness -- --database postgres://… [--opportunities 100000 --changes 6000 --rate 100
// --poll-seconds 60 --cpu-prof-dir DIR]`: how soon a change made in Salesforce reaches a member reading the portal,
// with real-time updates (Change Data Capture over the Pub/Sub API) and with polling alone, in one run, every part
// in a process of its own: the emulator (scripts/emulator-process.ts), the real server (server/main.ts: HTTP, the
// sync scheduler and the change-stream supervisor) and, in the kill phase, a real sync worker (server/worker.ts).
// This process only sets up (migrations, the connection through Setup's own path, the initial sync), makes the
// changes and watches. PostgreSQL only (a database of its own: the server, the worker and this process share it).
// Each change is a PATCH of one record's Amount to a value nobody else writes, through the emulator's REST API,
// at a steady --rate (each PATCH sent when due, not after the previous one returned). Its freshness is the time
// from sending the PATCH to a signed-in member, assigned to the phase's records, seeing the value through our
// API: the watcher reads My Opportunities most recently modified first (200 a page, following the cursor while a
// page is all newly seen changes) one read after another, and reads the detail page of any change still unseen
// after 5 s. A change not seen within the wait is `missed`.
// Phases: 1, the server holds the stream; 2 (kill), a sync worker takes the stream over from the server, a
// second server process competes for it, and half-way through the changes the worker is killed with SIGKILL;
// the phase reports what was missed, the events applied against the changes made (applied twice: events_applied
// counts in the same transaction as the cache writes), the takeover time and the cache compared record by record
// with the org (scripts/soak-compare.ts); 3, real-time updates off and an incremental sync every --poll-seconds
// (60: the shortest interval Sync Settings allow). --cpu-prof-dir: the servers and the worker write V8 CPU
// profiles there when they stop (the killed worker writes none).
// Progress goes to stderr; the last line on stdout is the JSON result, with the load average.
import { randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { sql } from 'kysely'
import pino from 'pino'

import { hashToken } from '../server/auth/tokens.js'
import { loadConfig } from '../server/config.js'
import { findStream } from '../server/crm/cdc/cdc-streams.repository.js'
import { setRealtime } from '../server/crm/cdc/realtime.service.js'
import { runSync } from '../server/crm/sync/sync-run.js'
import { assembleDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPostgres } from '../server/storage/open-database.js'
import { findFreePort } from '../server/testing/start-test-server.js'
import { connectEmulatorAsAdmin } from './bench-emulator-connection.js'
import { startEmulatorProcess } from './emulator-process.js'
import { compareCacheWithRecords, type OrgRecordState } from './soak-compare.js'
import { spawnNode, type NodeChild } from './spawn-node.js'

const { values: args } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '100000' },
    changes: { type: 'string', default: '6000' },
    rate: { type: 'string', default: '100' },
    'poll-seconds': { type: 'string', default: '60' },
    database: { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
  },
})
if (!args.database)
  throw new Error(
    'bench:freshness needs PostgreSQL: --database postgres://… (a database of its own; the server, a sync worker and the bench share it)',
  )
const databaseUrl = args.database
const opportunities = Number(args.opportunities)
// Each phase changes records of its own.
const changes = Math.min(Number(args.changes), Math.floor(opportunities / 3))
const rate = Number(args.rate)
const pollMs = Number(args['poll-seconds']) * 1000
const log = (message: string) => console.error(`[bench:freshness] ${message}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Pause between two reads of the member's list (each read waits for the previous answer). */
const WATCH_MS = 20
/** A change not in the list after this long is looked up on its detail page. */
const DETAIL_AFTER_MS = 5_000
/** The changes' connections to the emulator: enough for 100/s, few enough that a busy emulator keeps them. */
const patchAgent = new http.Agent({ keepAlive: true, maxSockets: 16 })
/** The watcher's connections to our server. */
const readAgent = new http.Agent({ keepAlive: true, maxSockets: 4 })
/** After the last change: how long a change may still arrive before it counts as missed. */
const CDC_GRACE_MS = 30_000

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
const round = (ms: number | null) => (ms === null ? null : Math.round(ms))
const load = () => loadavg().map((l) => Math.round(l * 10) / 10)

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

const loadAtStart = load()
const emulator = await startEmulatorProcess(opportunities, {
  seed: 18,
  ...(args['cpu-prof-dir']
    ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(args['cpu-prof-dir'], 'emulator')}`] }
    : {}),
})
const dir = mkdtempSync(join(tmpdir(), 'bench-freshness-'))
const database = openPostgres(databaseUrl, 4)
const children: NodeChild[] = []
try {
  writeFileSync(join(dir, 'pubsub.pem'), await emulator.pubSubCertificatePem())
  // Deliveries past the allocation would stop the stream mid-run: this measures freshness, not the limit.
  await emulator.control('PATCH', '/pubsub/settings', { deliveryLimit: 10_000_000 })
  // Nor the org's daily API limit: three phases of 6,000 PATCHes, the syncs and the stream's reads by id.
  await emulator.control.settings({ dailyApiRequests: 50_000_000 })
  const moduleEnv = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    CRM_PUBSUB_ENDPOINT: emulator.pubSubEndpoint,
    CRM_PUBSUB_CA_FILE: join(dir, 'pubsub.pem'),
  }
  const config = loadConfig({ ...moduleEnv, LOG_LEVEL: 'silent' })
  await migrateToLatest(database.db)
  if (await database.db.selectFrom('crm_connections').select('id').executeTakeFirst())
    throw new Error(
      '--database already holds a CRM connection: give the bench a database of its own, new each run',
    )
  const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
  await deps.db.updateTable('module_settings').set({ enabled: true }).where('id', '=', 'crm').execute()
  const { adminId, connectionId } = await connectEmulatorAsAdmin(deps, emulator, 'Bench admin')
  log(`initial sync of ${opportunities} opportunities`)
  await runSync(deps, connectionId, 'initial')
  const ids = (await readOrg()).map((r) => r.Id)
  const token = await emulatorToken()
  const stream = () => findStream(deps.db, connectionId)

  log('real-time updates on; the server holds the stream')
  await setRealtime(deps, adminId, true)
  const first = await startServer('server-1')
  const holderOf = (child: NodeChild) => `${hostname()}:${child.child.pid}`
  await waitUntil(
    'the server to hold the change stream',
    async () => {
      const row = await stream()
      return row?.holder === holderOf(first) && row.state === 'connected'
    },
    300_000,
  )
  const cdc = await measure(first, ids.slice(0, changes), 1, CDC_GRACE_MS)
  // Changes phase 1 did not see in time are applied before the kill phase counts events.
  await waitUntil(
    'the cache to equal the org after phase 1',
    async () => cacheEqualsOrg(await compare()),
    300_000,
  )

  const kill = await measureKill(first, ids.slice(2 * changes, 3 * changes))
  const second = kill.server
  await setRealtime(deps, adminId, false)
  await waitUntil('the server to stop streaming', async () => (await stream())?.holder === null)

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
  const poll = await measure(second, ids.slice(changes, 2 * changes), 3, pollMs + CDC_GRACE_MS).finally(
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
      database: 'postgres',
      processes: 'emulator, server, worker (kill phase) and bench each in their own process',
      freshnessP50Ms: cdc.p50,
      freshnessP95Ms: cdc.p95,
      freshnessMaxMs: cdc.max,
      missed: cdc.missed,
      sentPerSecond: cdc.sentPerSecond,
      seenByDetail: cdc.seenByDetail,
      watcherReads: cdc.reads,
      subscriberKilled: kill.result,
      polling: {
        intervalSeconds: pollMs / 1000,
        freshnessP50Ms: poll.p50,
        freshnessP95Ms: poll.p95,
        freshnessMaxMs: poll.max,
        missed: poll.missed,
        sentPerSecond: poll.sentPerSecond,
      },
      cacheEqualsOrgAtEnd: cacheEqualsOrg(await compare()),
      loadAverage: { start: loadAtStart, end: load() },
    }),
  )

  /**
   * The kill phase: a sync worker takes the stream over from the first server (stopped with SIGTERM), a second
   * server competes for it; half-way through the changes the worker is killed with SIGKILL and the second server
   * takes over from the stored replay id. Returns the second server, which serves the rest of the run.
   */
  async function measureKill(firstServer: NodeChild, targets: string[]) {
    log('kill phase: a sync worker (its own process) takes the stream over from the server')
    const worker = spawnNode(
      [...profileArgs('worker'), '--import', 'tsx', new URL('../server/worker.ts', import.meta.url).pathname],
      { ...process.env, ...moduleEnv, LOG_LEVEL: 'warn' },
    )
    children.push(worker)
    firstServer.child.kill('SIGTERM')
    await firstServer.exited
    await waitUntil(
      `the worker to hold the stream (${worker.output()})`,
      async () => {
        const row = await stream()
        return row?.holder === holderOf(worker) && row.state === 'connected'
      },
      300_000,
    )
    // The second server competes for the stream from its start; the worker's advisory lock refuses it.
    const server = await startServer('server-2')
    const before = await stream()
    if (before?.holder !== holderOf(worker))
      throw new Error(`the worker lost the stream to ${before?.holder}`)
    let killedAt = 0
    const result = await measure(server, targets, 2, CDC_GRACE_MS, async () => {
      log(`kill phase: SIGKILL to the worker (pid ${worker.child.pid}) after ${targets.length / 2} changes`)
      worker.child.kill('SIGKILL')
      killedAt = performance.now()
      await worker.exited
    })
    await waitUntil('the second server to take the stream over', async () => {
      const row = await stream()
      return row?.holder === holderOf(server) && row.state === 'connected'
    })
    const after = await stream()
    const eventsApplied = (after?.events_applied ?? 0) - (before.events_applied ?? 0)
    const comparison = await compare()
    log(`kill phase: ${eventsApplied} events applied for ${targets.length} changes`)
    return {
      server,
      result: {
        changes: targets.length,
        freshnessP50Ms: result.p50,
        freshnessP95Ms: result.p95,
        freshnessMaxMs: result.max,
        missed: result.missed,
        sentPerSecond: result.sentPerSecond,
        eventsApplied,
        appliedTwice: Math.max(0, eventsApplied - targets.length),
        // From the kill to the member seeing the first change sent after it (the second server applied it).
        takeoverMs: round(
          Math.min(...result.arrivals.filter((a) => a.sentAt >= killedAt).map((a) => a.at)) - killedAt,
        ),
        cacheEqualsOrg: cacheEqualsOrg(comparison),
        comparison,
      },
    }
  }

  /** The real server (server/main.ts) on a free loopback port, ready when /healthz answers. */
  async function startServer(name: string): Promise<NodeChild & { url: string }> {
    const port = await findFreePort()
    const child = spawnNode(
      [...profileArgs(name), '--import', 'tsx', new URL('../server/main.ts', import.meta.url).pathname],
      { ...process.env, ...moduleEnv, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    )
    children.push(child)
    const url = `http://127.0.0.1:${port}`
    await waitUntil(
      `${name} to answer`,
      async () => {
        if (child.child.exitCode !== null)
          throw new Error(`${name} exited with ${child.child.exitCode}: ${child.output()}`)
        return fetch(`${url}/healthz`)
          .then((r) => r.ok)
          .catch(() => false)
      },
      180_000,
    )
    return { ...child, url }
  }

  function profileArgs(name: string): string[] {
    const profileDir = args['cpu-prof-dir']
    // A folder per process: tsx's loader thread writes a profile of its own beside the main thread's.
    return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []
  }

  /** A member assigned to `targets` (as a manual assignment would store it) and their signed-in session. */
  async function signInMember(phase: number, targets: string[]) {
    const member = await deps.db
      .insertInto('users')
      .values({ name: `Bench member ${phase}`, email: `member-${randomUUID()}@example.com`, role: 'member' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await sql`insert into crm_opportunity_members (user_id, opportunity_id, is_manual, manual_added_at)
      select ${member.id}, id, true, now() from unnest(${targets}::text[]) as t(id)`.execute(deps.db)
    const sessionToken = randomBytes(32).toString('base64url')
    await deps.db
      .insertInto('sessions')
      .values({
        token_hash: hashToken(sessionToken),
        user_id: member.id,
        csrf_token: randomUUID(),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute()
    return `crm_session=${sessionToken}`
  }

  /**
   * Changes `targets` one by one at the steady rate and times each until the member sees it through `server`;
   * `halfway` runs once half of them are sent.
   */
  async function measure(
    server: { url: string },
    targets: string[],
    phase: number,
    graceMs: number,
    halfway?: () => Promise<void>,
  ) {
    const cookie = await signInMember(phase, targets)
    const pending = new Map<string, { amount: number; sentAt: number }>()
    const seen: number[] = []
    const seenAt: Array<{ sentAt: number; at: number }> = []
    let reads = 0
    let seenByDetail = 0
    const see = (id: string, amount: number | null, now: number) => {
      const change = pending.get(id)
      if (!change || amount !== change.amount) return false
      seen.push(now - change.sentAt)
      seenAt.push({ sentAt: change.sentAt, at: now })
      pending.delete(id)
      return true
    }
    let watching = true
    // My Opportunities, most recently modified first: a change applied since the last read is on top.
    const listWatcher = (async () => {
      while (watching) {
        if (pending.size > 0) {
          let cursor: string | null = null
          for (let page = 0; page < 100; page += 1) {
            const query = `sort=lastModified&direction=desc&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
            const body = (await getJson(server.url, `/api/crm/opportunities?${query}`, cookie)) as {
              items: Array<{ id: string; amount: number | null }>
              nextCursor: string | null
            }
            reads += 1
            const now = performance.now()
            let fresh = 0
            for (const item of body.items) if (see(item.id, item.amount, now)) fresh += 1
            // Older pages hold only changes seen before, unless this whole page was new.
            if (fresh < body.items.length || !body.nextCursor) break
            cursor = body.nextCursor
          }
        }
        await sleep(WATCH_MS)
      }
    })()
    // A change the list did not show (it should): its detail page, a few at a time.
    const detailWatcher = (async () => {
      while (watching) {
        const late = [...pending]
          .filter(([, c]) => performance.now() - c.sentAt > DETAIL_AFTER_MS)
          .slice(0, 10)
        for (const [id] of late) {
          const body = (await getJson(server.url, `/api/crm/opportunities/${id}`, cookie)) as {
            opportunity: { amount: number | null }
          }
          reads += 1
          if (see(id, body.opportunity.amount, performance.now())) seenByDetail += 1
        }
        await sleep(500)
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
      await Promise.all([listWatcher, detailWatcher])
    }
    seen.sort((a, b) => a - b)
    log(
      `phase ${phase}: ${seen.length} of ${targets.length} changes seen (sent at ${sentRate.toFixed(1)}/s, ${seenByDetail} by their detail page, ${reads} reads; load ${load().join(' ')})`,
    )
    return {
      sentPerSecond: Math.round(sentRate * 10) / 10,
      arrivals: seenAt,
      p50: round(percentile(seen, 50)),
      p95: round(percentile(seen, 95)),
      max: round(seen[seen.length - 1] ?? null),
      missed: pending.size,
      seenByDetail,
      reads,
    }
  }

  async function compare() {
    return compareCacheWithRecords(deps.db, await readOrg())
  }

  /** Every opportunity of the org, deleted ones too, through the emulator's REST API (queryAll, in pages). */
  async function readOrg(): Promise<OrgRecordState[]> {
    const accessToken = await emulatorToken()
    const soql = 'SELECT Id, IsDeleted, SystemModstamp, Amount FROM Opportunity'
    let next: string | undefined = `/services/data/v62.0/queryAll?q=${encodeURIComponent(soql)}`
    const records: OrgRecordState[] = []
    while (next) {
      const response = await fetch(`${emulator.url}${next}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
      if (!response.ok) throw new Error(`queryAll: ${response.status} ${await response.text()}`)
      const page = (await response.json()) as {
        records: Array<{ Id: string; IsDeleted: boolean; SystemModstamp: string; Amount: number | null }>
        nextRecordsUrl?: string
      }
      for (const r of page.records)
        records.push({
          Id: r.Id,
          IsDeleted: r.IsDeleted,
          // Salesforce writes the offset without a colon (+0000).
          SystemModstamp: Date.parse(r.SystemModstamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')),
          Amount: r.Amount,
        })
      next = page.nextRecordsUrl
    }
    return records
  }

  async function emulatorToken(): Promise<string> {
    const c = emulator.credentials
    const response = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: c.consumerKey,
        client_secret: c.consumerSecret,
        username: c.username,
        password: c.password + c.securityToken,
      }),
    })
    const body = (await response.json()) as Record<string, string>
    if (!body['access_token']) throw new Error(`password grant failed: ${JSON.stringify(body)}`)
    return body['access_token']
  }

  /**
   * One change through the emulator's REST API, over a few kept-alive connections (patchAgent). A request whose
   * connection fails (ECONNRESET from the busy emulator) is tried again: setting the same Amount twice is one
   * change.
   */
  async function patchAmount(id: string, amount: number): Promise<void> {
    const body = JSON.stringify({ Amount: amount })
    for (let attempt = 1; ; attempt += 1) {
      const answer = await send(
        patchAgent,
        `${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`,
        {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        },
      )
      if (answer instanceof Error) {
        if (attempt >= 10) throw answer
        await sleep(100 * attempt)
        continue
      }
      if (answer.status !== 204) throw new Error(`PATCH ${id}: ${answer.status} ${answer.text}`)
      return
    }
  }
} finally {
  for (const child of children.reverse()) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGTERM')
      await child.exited
    }
  }
  patchAgent.destroy()
  readAgent.destroy()
  await database.close()
  await emulator.stop()
  rmSync(dir, { recursive: true, force: true })
}

async function getJson(base: string, path: string, cookie: string): Promise<unknown> {
  const answer = await send(readAgent, `${base}${path}`, { method: 'GET', headers: { cookie } })
  if (answer instanceof Error) throw answer
  if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.text}`)
  return JSON.parse(answer.text)
}

function send(
  agent: http.Agent,
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string } | Error> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: options.method, agent, headers: options.headers }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
      response.on('error', resolve)
    })
    req.on('error', resolve)
    req.end(options.body)
  })
}

function cacheEqualsOrg(c: Awaited<ReturnType<typeof compareCacheWithRecords>>): boolean {
  return c.lost === 0 && c.duplicated === 0 && c.stale === 0
}
