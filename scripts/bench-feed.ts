// `npm run bench:feed -- --listeners 50 --posts 100 [--database postgres://…]`: the feed and its live events on
// PGlite (default) or PostgreSQL. Seeds opportunities, members and posts, opens SSE streams (GET /api/live) of
// members of one deal, then posts to it and times each post from the request to the event arriving on every
// stream, side by side with 1 listener and with N, and on PostgreSQL through a second app instance (its own
// pool and LISTEN connection) so the event crosses LISTEN/NOTIFY. Also times feed page reads. Last line: JSON.
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'

import { sql } from 'kysely'
import pino from 'pino'

import { buildApp } from '../server/app.js'
import { hashToken } from '../server/auth/tokens.js'
import { followChanges } from '../server/cache/read-cache.js'
import { loadConfig } from '../server/config.js'
import { createInProcessDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { assembleDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openPglite, openPostgres, type OpenDatabase } from '../server/storage/open-database.js'
import { makeConnection, setCrmModuleEnabled } from '../server/testing/crm-factories.js'
import { openSse, type SseStream } from '../server/testing/sse-client.js'

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '50' },
    posts: { type: 'string', default: '100' },
    reads: { type: 'string', default: '300' },
    opportunities: { type: 'string', default: '2000' },
    'seed-posts': { type: 'string', default: '20000' },
    database: { type: 'string' },
  },
})
const listeners = Number(values.listeners)
const posts = Number(values.posts)
const reads = Number(values.reads)
const opportunityCount = Number(values.opportunities)
const seedPosts = Number(values['seed-posts'])

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
const round = (ms: number) => Math.round(ms * 10) / 10
const stats = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b)
  return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) }
}
const waitUntil = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 30_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

async function startApp(database: OpenDatabase, storage: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', ...storage })
  const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
  const dispatcher = createInProcessDispatcher(deps, {})
  const { app, live } = await buildApp(deps, { syncDispatcher: dispatcher })
  const feed = await followChanges(deps.readCache, database, [live])
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    close: async () => {
      await app.close()
      await dispatcher.stop()
      await feed.close()
    },
  }
}

const url = values.database
const databases: OpenDatabase[] = url
  ? [openPostgres(url, 10), openPostgres(url, 10)]
  : [await openPglite('memory://')]
const [main] = databases as [OpenDatabase]
const storage: Record<string, string> = url ? { DATABASE_URL: url } : { DATA_DIR: 'memory://' }
const apps: Array<Awaited<ReturnType<typeof startApp>>> = []
const streams: SseStream[] = []
try {
  const seedStarted = performance.now()
  await migrateToLatest(main.db)
  const { db } = main
  await setCrmModuleEnabled(db, true)
  const connection = await makeConnection(db)
  const run = randomUUID().slice(0, 8)
  const users = await db
    .insertInto('users')
    .values(
      Array.from({ length: listeners + 1 }, (_, i) => ({
        name: `Bench ${run} ${i}`,
        email: `bench-${run}-${i}@example.com`,
        role: 'member' as const,
      })),
    )
    .returning('id')
    .execute()
  const oppIds = Array.from({ length: opportunityCount }, (_, i) => `006B${run}${String(i).padStart(6, '0')}`)
  for (let i = 0; i < oppIds.length; i += 1000) {
    await db
      .insertInto('crm_opportunities')
      .values(
        oppIds.slice(i, i + 1000).map((id, j) => ({
          id,
          connection_id: connection.id,
          name: `Deal ${i + j}`,
          system_modstamp: new Date(),
        })),
      )
      .execute()
  }
  const target = oppIds[0] ?? ''
  // Everyone on the target deal, and each on a few others.
  await db
    .insertInto('crm_opportunity_members')
    .values(
      users.flatMap((u, i) =>
        [target, oppIds[1 + (i % (oppIds.length - 1))] ?? target].map((opportunity_id) => ({
          user_id: u.id,
          opportunity_id,
          is_manual: true,
        })),
      ),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
  await sql`
    insert into crm_feed_posts (opportunity_id, author_id, body, body_html, created_at, activity_at)
    select (array[${sql.join(oppIds.slice(0, 50))}])[1 + g % 50],
           ${users[0]?.id ?? null}::uuid, 'Seeded post ' || g, '<p>Seeded post ' || g || '</p>',
           now() - g * interval '1 second', now() - g * interval '1 second'
    from generate_series(1, ${seedPosts}) g`.execute(db)
  const sessions = users.map((u) => ({ token: randomUUID(), csrf: randomUUID(), userId: u.id }))
  await db
    .insertInto('sessions')
    .values(
      sessions.map((s) => ({
        token_hash: hashToken(s.token),
        user_id: s.userId,
        csrf_token: s.csrf,
        expires_at: new Date(Date.now() + 86_400_000),
      })),
    )
    .execute()
  const seedMs = round(performance.now() - seedStarted)

  for (const database of databases) apps.push(await startApp(database, storage))
  const poster = sessions[0]
  const postUrl = apps[0]?.url ?? ''
  const listenUrl = apps.at(-1)?.url ?? ''
  const cookie = (token: string) => `crm_session=${token}`

  const postOnce = async (streamsNow: SseStream[]) => {
    const started = performance.now()
    const response = await fetch(`${postUrl}/api/crm/opportunities/${target}/feed`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: cookie(poster?.token ?? ''),
        'x-csrf-token': poster?.csrf ?? '',
      },
      body: JSON.stringify({ body: `Bench post ${performance.now()}` }),
    })
    const accepted = performance.now()
    if (response.status !== 201) throw new Error(`post failed: ${response.status} ${await response.text()}`)
    const { post } = (await response.json()) as { post: { id: string } }
    const arrivals: number[] = []
    for (const stream of streamsNow) {
      const arrival = () =>
        stream.events.find((e) => e.event.type === 'feed' && e.event.postId === post.id)?.at
      await waitUntil(() => arrival() !== undefined, 'an event')
      arrivals.push((arrival() ?? 0) - accepted)
    }
    return { postMs: accepted - started, eventMs: arrivals }
  }

  const measure = async (streamsNow: SseStream[]) => {
    const postMs: number[] = []
    const eventMs: number[] = []
    for (let i = 0; i < posts; i += 1) {
      const result = await postOnce(streamsNow)
      postMs.push(result.postMs)
      eventMs.push(...result.eventMs)
    }
    return { post: stats(postMs), postToEvent: stats(eventMs) }
  }

  for (const s of sessions.slice(1)) {
    const stream = await openSse(`${listenUrl}/api/live`, { cookie: cookie(s.token) })
    streams.push(stream)
  }
  await waitUntil(() => streams.every((s) => s.events.length > 0), 'the streams to open')
  const one = await measure(streams.slice(0, 1))
  const many = await measure(streams)

  const readTimes: number[] = []
  const readsStarted = performance.now()
  const feedOf = (i: number) => oppIds[i % 50] ?? target
  for (let i = 0; i < reads; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, reads - i) }, async (_, j) => {
        const s = sessions[(i + j) % sessions.length]
        const started = performance.now()
        const response = await fetch(`${postUrl}/api/crm/opportunities/${feedOf(i + j)}/feed`, {
          headers: { cookie: cookie(s?.token ?? '') },
        })
        await response.arrayBuffer()
        readTimes.push(performance.now() - started)
      }),
    )
  }
  const readSeconds = (performance.now() - readsStarted) / 1000
  console.log(
    JSON.stringify({
      database: url ? 'postgres (two app instances)' : 'pglite',
      seedMs,
      opportunities: opportunityCount,
      seededPosts: seedPosts,
      posts,
      oneListener: {
        postP95Ms: one.post.p95Ms,
        postToEventP50Ms: one.postToEvent.p50Ms,
        postToEventP95Ms: one.postToEvent.p95Ms,
      },
      [`${listeners}Listeners`]: {
        postP95Ms: many.post.p95Ms,
        postToEventP50Ms: many.postToEvent.p50Ms,
        postToEventP95Ms: many.postToEvent.p95Ms,
      },
      postToEventP95Ms: many.postToEvent.p95Ms,
      postP95Ms: many.post.p95Ms,
      feedReadP50Ms: stats(readTimes).p50Ms,
      feedReadP95Ms: stats(readTimes).p95Ms,
      feedReadRps: Math.round(reads / readSeconds),
    }),
  )
} finally {
  for (const stream of streams) stream.close()
  for (const app of apps) await app.close()
  for (const database of databases) await database.close()
}
