// `npm run bench:feed [-- --database postgres://…/bench_feed --seconds 60 --concurrency 100]`: the workspace
// feed under load. Seeds 1,000,000 opportunities, 10,000 users, 100,000 assignments (teams of 4 sharing 10 deals
// each) and 1,000,000 posts (800,000 posts, 200,000 replies, 300,000 notifications) set-based
// (bench-feed-seed.ts), then starts the real server (dist/server/main.js, what `npm start` runs) twice on the same
// PostgreSQL database: two processes, each with its own pool and LISTEN connection. --concurrency signed-in users
// (whole teams) each loop without pause over: read one of their deals' feeds (45%), read their bell (45%: the list
// or the unread count) or post to one of their deals (10%), each user's requests going to one process and their
// live stream (GET /api/live) open on the other. Each post is timed from its 201 to the event reaching the
// streams of the poster's team-mates (post-to-event). That closed loop keeps the servers saturated: it measures
// capacity. Then paced phases measure latency at a stated load: for each rate of --paced-rps (requests/s over all
// users) the same users and mix for --paced-seconds on a Poisson schedule, open loop, each request timed from its
// scheduled time (bench-feed-paced.ts); the sweep stops after a phase whose feed read p95 is above 1 s. Then the
// bare /healthz route under the closed loop's concurrency.
// Without --database: embedded PGlite in a temporary folder and one server process (PGlite has one owner).
// A --database already seeded by bench:feed is reused as it is (seeding takes minutes); an empty one is seeded.
// Progress goes to stderr; the last line on stdout is the JSON result.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { hashToken } from '../server/auth/tokens.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPglite, openPostgres, type OpenDatabase } from '../server/storage/open-database.js'
import { openSse, type SseStream } from '../server/testing/sse-client.js'
import { findFreePort } from '../server/testing/start-test-server.js'
import { benchOpportunityId } from './bench-seed.js'
import {
  countSeed,
  dealOpportunity,
  dealsPerUser,
  isSeeded,
  seedFeed,
  type FeedSeedSize,
} from './bench-feed-seed.js'
import {
  closedLoopUser,
  newTally,
  postToEvent,
  recordError,
  request,
  round,
  sleep,
  summary,
  type BenchUser,
  type Endpoint,
  type Server,
} from './bench-feed-load.js'
import {
  feedTargetMaxRps,
  meetsFeedTarget,
  meetsPostToEventTarget,
  runPacedSweep,
} from './bench-feed-paced.js'
import { spawnNode } from './spawn-node.js'

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    opportunities: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '10000' },
    assignments: { type: 'string', default: '100000' },
    posts: { type: 'string', default: '1000000' },
    team: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    'warm-up-seconds': { type: 'string', default: '5' },
    'bare-seconds': { type: 'string', default: '10' },
    'post-share': { type: 'string', default: '0.1' },
    // Offered rates (requests/s over all users) of the paced phases; "" runs none.
    'paced-rps': { type: 'string', default: '100,200,400,800' },
    'paced-seconds': { type: 'string', default: '15' },
    // Each server process writes a V8 CPU profile there when it stops (node --cpu-prof).
    'cpu-prof-dir': { type: 'string' },
  },
})
const size: FeedSeedSize = {
  opportunities: Number(args.opportunities),
  users: Number(args.users),
  assignments: Number(args.assignments),
  posts: Number(args.posts),
  team: Number(args.team),
}
// Whole teams, so every post has listening team-mates.
const concurrency = Math.max(size.team, Math.floor(Number(args.concurrency) / size.team) * size.team)
const seconds = Number(args.seconds)
const postShare = Number(args['post-share'])
const pacedRates = args['paced-rps']
  .split(',')
  .map((rate) => rate.trim())
  .filter((rate) => rate !== '')
  .map(Number)
const pacedSeconds = Number(args['paced-seconds'])
if (pacedRates.some((rate) => !(rate > 0)))
  throw new Error(`--paced-rps: rates above 0, got ${args['paced-rps']}`)
const log = (message: string) => console.error(`[bench:feed] ${message}`)

const dataDir = mkdtempSync(join(tmpdir(), 'bench-feed-'))
const servers: Server[] = []
const streams: SseStream[] = []
const loadAtStart = loadavg().map((l) => Math.round(l * 10) / 10)
try {
  // The seed (or the seeded database as it is), then the sessions of the users the bench signs in.
  const database: OpenDatabase = args.database ? openPostgres(args.database, 4) : await openPglite(dataDir)
  const seedStarted = performance.now()
  let seedSeconds: number | null = null
  let users: BenchUser[]
  let counts
  try {
    await migrateToLatest(database.db)
    if (await isSeeded(database.db)) {
      log('the database holds an earlier bench:feed seed: reusing it')
    } else {
      await seedFeed(database.db, size, log)
      seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10
      log(`seeded in ${seedSeconds} s`)
    }
    counts = await countSeed(database.db)
    users = await signInUsers(database)
  } finally {
    await database.close()
  }

  const key = randomBytes(32).toString('base64')
  const processes = args.database ? 2 : 1
  for (let i = 0; i < processes; i += 1) servers.push(await startServer(key))
  log(`${processes} server process(es) ready: ${servers.map((s) => s.url).join(' ')}`)
  const requestServer = (u: BenchUser) => servers[u.index % servers.length] as Server
  const streamServer = (u: BenchUser) => servers[(u.index + 1) % servers.length] as Server

  for (const u of users) {
    const stream = await openSse(`${streamServer(u).url}/api/live`, { cookie: u.cookie })
    if (stream.status !== 200) throw new Error(`live stream of user ${u.index}: ${stream.status}`)
    streams[u.index] = stream
  }
  log(`${streams.length} live streams open`)

  // At most --concurrency connections per process: in the paced phases a request beyond them waits in the client,
  // and that wait counts in its latency (timed from its scheduled time).
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency }))
  const endpointOf = (server: Server): Endpoint => ({
    url: server.url,
    agent: agents[servers.indexOf(server)] as http.Agent,
  })

  // The closed loop: warm-up (not counted), then --seconds measured. `closed` also counts the bare route's errors.
  const closed = newTally()
  const warmUpSeconds = Number(args['warm-up-seconds'])
  log(`warm-up: ${warmUpSeconds} s`)
  const warmUpEnd = performance.now() + warmUpSeconds * 1000
  await Promise.all(
    users.map((u) => closedLoopUser(u, endpointOf(requestServer(u)), postShare, warmUpEnd, null, closed)),
  )
  log(
    `mixed load: ${users.length} users for ${seconds} s (${Math.round(postShare * 100)}% posts), closed loop`,
  )
  const cacheBefore = await cacheAnswers(servers)
  const mixedStarted = performance.now()
  const progress = setInterval(() => {
    const elapsed = (performance.now() - mixedStarted) / 1000
    log(
      `  ${Math.round(elapsed)} s: ${closed.feed.length} feed reads, ${closed.bell.length} bell reads, ${closed.post.length} posts, ${closed.errors} errors`,
    )
  }, 10_000)
  const mixedEnd = mixedStarted + seconds * 1000
  await Promise.all(
    users.map((u) => closedLoopUser(u, endpointOf(requestServer(u)), postShare, mixedEnd, closed, closed)),
  )
  clearInterval(progress)
  const mixedSeconds = (performance.now() - mixedStarted) / 1000
  const cacheAfter = await cacheAnswers(servers)
  const delivered = await postToEvent(closed.posted, users, streams, 10_000)

  const paced = await runPacedSweep({
    rates: pacedRates,
    seconds: pacedSeconds,
    postShare,
    users,
    endpointOf: (u) => endpointOf(requestServer(u)),
    streams,
    log,
  })

  const bareSeconds = Number(args['bare-seconds'])
  log(`bare route: ${concurrency} clients on /healthz for ${bareSeconds} s`)
  const bareTimes: number[] = []
  const bareStarted = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const endpoint = endpointOf(servers[i % servers.length] as Server)
      while (performance.now() < bareStarted + bareSeconds * 1000) {
        const started = performance.now()
        const answer = await request(endpoint, 'GET', '/healthz')
        if (answer.status !== 200) recordError(closed, `GET /healthz ${answer.status}`)
        else bareTimes.push(performance.now() - started)
      }
    }),
  )
  const bare = summary(bareTimes, (performance.now() - bareStarted) / 1000)
  for (const agent of agents) agent.destroy()

  const feed = summary(closed.feed, mixedSeconds)
  const bell = summary(closed.bell, mixedSeconds)
  const post = summary(closed.post, mixedSeconds)
  const toEvent = summary(delivered.delays, mixedSeconds)
  const pacedAt100 = paced.phases.find((p) => p.offeredRps === 100)
  console.log(
    JSON.stringify({
      database: args.database ? 'postgres' : 'pglite',
      serverProcesses: servers.length,
      seedSeconds,
      seeded: counts,
      concurrency: users.length,
      liveStreams: streams.length,
      seconds: Math.round(mixedSeconds),
      postShare,
      feedReadP50Ms: feed.p50Ms,
      feedReadP95Ms: feed.p95Ms,
      feedReadRps: feed.rps,
      bellP50Ms: bell.p50Ms,
      bellP95Ms: bell.p95Ms,
      bellRps: bell.rps,
      postP50Ms: post.p50Ms,
      postP95Ms: post.p95Ms,
      postRps: post.rps,
      postToEventP50Ms: toEvent.p50Ms,
      postToEventP95Ms: toEvent.p95Ms,
      postToEventMaxMs: round(Math.max(...delivered.delays)),
      eventsDelivered: delivered.delays.length,
      eventsMissing: delivered.missing,
      mixedRps: Math.round((feed.count + bell.count + post.count) / mixedSeconds),
      readCacheClosedLoop: cacheDelta(cacheBefore, cacheAfter),
      bareRouteP95Ms: bare.p95Ms,
      bareRouteRps: bare.rps,
      errors: closed.errors,
      errorSamples: closed.errorSamples,
      paced: paced.phases,
      pacedSeconds,
      stoppedAt: paced.stoppedAt,
      feedTargetMaxRps: feedTargetMaxRps(paced.phases),
      loadAverage: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 10) / 10) },
      targets: {
        feedReadP95: meetsFeedTarget(feed.p95Ms),
        postToEventP95: toEvent.p95Ms <= 500,
        pacedAt100Rps: pacedAt100
          ? {
              feedReadP95: meetsFeedTarget(pacedAt100.feedReadP95Ms),
              postToEventP95: meetsPostToEventTarget(pacedAt100.postToEventP95Ms, pacedAt100.eventsMissing),
            }
          : null,
      },
    }),
  )
} finally {
  for (const stream of streams) stream?.close()
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM')
      await server.exited
    }
  }
  rmSync(dataDir, { recursive: true, force: true })
}

type CacheAnswers = Record<'hit' | 'shared' | 'miss', number>

/** The servers' read cache counts (crm_read_cache_answers on /metrics, open to loopback), summed. */
async function cacheAnswers(of: readonly Server[]): Promise<CacheAnswers> {
  const sum: CacheAnswers = { hit: 0, shared: 0, miss: 0 }
  for (const server of of) {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    for (const result of ['hit', 'shared', 'miss'] as const) {
      const found = new RegExp(`^crm_read_cache_answers\\{result="${result}"\\} (\\d+)`, 'm').exec(text)
      sum[result] += Number(found?.[1] ?? NaN)
    }
  }
  return sum
}

/** Feed and bell reads of a phase: how many came from memory (hit or shared) and how many were read. */
function cacheDelta(before: CacheAnswers, after: CacheAnswers) {
  const hit = after.hit - before.hit
  const shared = after.shared - before.shared
  const miss = after.miss - before.miss
  return {
    hit,
    shared,
    miss,
    fromMemoryShare: Math.round((100 * (hit + shared)) / (hit + shared + miss)) / 100,
  }
}

/** Sessions for the first --concurrency seeded users (whole teams), as a sign-in would store them. */
async function signInUsers(database: OpenDatabase): Promise<BenchUser[]> {
  const perUser = dealsPerUser(size)
  const users = Array.from({ length: concurrency }, (_, index) => {
    const team = Math.floor(index / size.team)
    const deals = Array.from({ length: perUser }, (_, k) =>
      benchOpportunityId(dealOpportunity(size, team * perUser + k)),
    )
    return { index, team, deals, token: randomBytes(32).toString('base64url'), csrf: randomUUID() }
  })
  await database.db
    .insertInto('sessions')
    .values(
      users.map((u) => ({
        token_hash: hashToken(u.token),
        user_id: seededUserId(u.index + 1),
        csrf_token: u.csrf,
        expires_at: new Date(Date.now() + 86_400_000),
      })),
    )
    .execute()
  return users.map(({ token, ...u }) => ({ ...u, cookie: `crm_session=${token}` }))
}

/** PostgreSQL's md5('bench-user-' || u)::uuid (bench-feed-seed.ts). */
function seededUserId(u: number): string {
  const hex = createHash('md5').update(`bench-user-${u}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The real server (what `npm start` runs, built by `npm run bench:feed` first) on a free loopback port. */
async function startServer(key: string): Promise<Server> {
  const port = await findFreePort()
  const profile = args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof-dir']}`] : []
  const entry = new URL('../dist/server/main.js', import.meta.url).pathname
  const { child, exited, output } = spawnNode([...profile, entry], {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    CRM_ENCRYPTION_KEY: key,
    ...(args.database ? { DATABASE_URL: args.database } : { DATA_DIR: dataDir }),
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${output()}`)
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) break
    if (Date.now() > deadline) throw new Error(`the server did not answer within 180 s: ${output()}`)
    await sleep(200)
  }
  return { url, child, exited, output }
}
