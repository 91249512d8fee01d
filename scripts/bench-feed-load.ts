// The load bench:feed puts on the servers: the request mix one signed-in user sends, the closed loop (each user
// sends the next request when the previous one answered: capacity at saturation) and the paced, open loop (each
// user sends on a Poisson schedule whether or not earlier requests answered, and each request is timed from its
// scheduled time, so a stalled server shows in the latencies instead of slowing the client down: coordinated
// omission, https://github.com/giltene/wrk2), the post-to-event delays and the percentile
// summaries.
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import http from 'node:http'

import type { SseStream } from '../server/testing/sse-client.js'

export interface Server {
  url: string
  child: ChildProcess
  exited: Promise<unknown>
  output: () => string
}

export interface BenchUser {
  /** 0-based: seeded user index + 1. */
  index: number
  team: number
  deals: string[]
  cookie: string
  csrf: string
}

/** Where a user's requests go: their process and a keep-alive agent for it. */
export interface Endpoint {
  url: string
  agent: http.Agent
}

export interface Posted {
  postId: string
  poster: BenchUser
  acceptedAt: number
}

/** What one phase recorded: latencies in ms per kind, the posts for post-to-event, the errors. */
export interface Tally {
  feed: number[]
  bell: number[]
  post: number[]
  posted: Posted[]
  /** Requests answered (any status), for the achieved rate. */
  answered: number
  errors: number
  errorSamples: string[]
}

export const newTally = (): Tally => ({
  feed: [],
  bell: [],
  post: [],
  posted: [],
  answered: 0,
  errors: 0,
  errorSamples: [],
})

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One request of the mix for user `u`: a post to one of their deals (`postShare`), else half feed reads of one of
 * their deals and half bell reads (the list or the unread count, alternating with `step`). Latency counts from
 * `from` (a performance.now() time); timings go to `timings` (null: warm-up, not counted), errors to `errors`.
 */
export async function mixRequest(
  u: BenchUser,
  endpoint: Endpoint,
  postShare: number,
  step: number,
  from: number,
  timings: Tally | null,
  errors: Tally,
): Promise<void> {
  const roll = Math.random()
  const deal = u.deals[Math.floor(Math.random() * u.deals.length)] as string
  if (roll < postShare) {
    const answer = await request(endpoint, 'POST', `/api/crm/opportunities/${deal}/feed`, u, {
      body: `Bench post ${randomUUID()} from user ${u.index}: **quote** sent, see https://example.com/q`,
    })
    const acceptedAt = performance.now()
    if (timings) timings.answered += 1
    if (answer.status !== 201) recordError(errors, `POST feed ${answer.status} ${answer.body.slice(0, 200)}`)
    else if (timings) {
      timings.post.push(acceptedAt - from)
      const postId = (JSON.parse(answer.body) as { post: { id: string } }).post.id
      timings.posted.push({ postId, poster: u, acceptedAt })
    }
    return
  }
  const path =
    roll < postShare + (1 - postShare) / 2
      ? `/api/crm/opportunities/${deal}/feed`
      : step % 2 === 0
        ? '/api/notifications'
        : '/api/notifications/unread-count'
  const answer = await request(endpoint, 'GET', path, u)
  if (timings) timings.answered += 1
  if (answer.status !== 200) recordError(errors, `GET ${path} ${answer.status} ${answer.body.slice(0, 200)}`)
  else if (timings) (path.endsWith('/feed') ? timings.feed : timings.bell).push(performance.now() - from)
}

export function recordError(tally: Tally, message: string) {
  tally.errors += 1
  if (tally.errorSamples.length < 5) tally.errorSamples.push(message)
}

/** Closed loop: the user sends the next request as soon as the previous one answered, until `endAt`. */
export async function closedLoopUser(
  u: BenchUser,
  endpoint: Endpoint,
  postShare: number,
  endAt: number,
  timings: Tally | null,
  errors: Tally,
): Promise<void> {
  let step = 0
  while (performance.now() < endAt) {
    step += 1
    await mixRequest(u, endpoint, postShare, step, performance.now(), timings, errors)
  }
}

/**
 * Open loop: the user's requests are scheduled from `startAt` to `endAt` with exponential gaps of mean
 * 1 / `perSecond` (a Poisson process), each sent at its time even if earlier ones are still pending and timed
 * from that scheduled time. Resolves when every scheduled request answered.
 */
export async function pacedUser(
  u: BenchUser,
  endpoint: Endpoint,
  postShare: number,
  perSecond: number,
  startAt: number,
  endAt: number,
  tally: Tally,
): Promise<void> {
  const gapMs = () => (-Math.log(1 - Math.random()) / perSecond) * 1000
  const pending: Array<Promise<void>> = []
  let step = 0
  for (let at = startAt + gapMs(); at < endAt; at += gapMs()) {
    const wait = at - performance.now()
    if (wait > 0) await sleep(wait)
    step += 1
    pending.push(mixRequest(u, endpoint, postShare, step, at, tally, tally))
  }
  await Promise.all(pending)
}

/**
 * Post-to-event: each post on the stream of each of the poster's team-mates (all members of the deal), from the
 * post's 201 to the event's arrival, waiting up to `waitMs` for missing ones.
 */
export async function postToEvent(
  posted: Posted[],
  users: BenchUser[],
  streams: SseStream[],
  waitMs: number,
): Promise<{ delays: number[]; missing: number }> {
  const waitUntil = performance.now() + waitMs
  const arrivals = () => {
    const delays: number[] = []
    let missing = 0
    for (const post of posted) {
      for (const mate of users) {
        if (mate.team !== post.poster.team || mate === post.poster) continue
        const event = streams[mate.index]?.events.find(
          (e) => e.event.type === 'feed' && e.event.postId === post.postId,
        )
        if (event) delays.push(event.at - post.acceptedAt)
        else missing += 1
      }
    }
    return { delays, missing }
  }
  let delivered = arrivals()
  while (delivered.missing > 0 && performance.now() < waitUntil) {
    await sleep(250)
    delivered = arrivals()
  }
  return delivered
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
export const round = (ms: number) => Math.round(ms * 10) / 10

export function summary(latencies: number[], elapsedSeconds: number) {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    rps: Math.round(sorted.length / elapsedSeconds),
  }
}

export function request(
  endpoint: Endpoint,
  method: 'GET' | 'POST',
  path: string,
  user?: BenchUser,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve) => {
    const req = http.request(
      `${endpoint.url}${path}`,
      {
        method,
        agent: endpoint.agent,
        headers: {
          ...(user ? { cookie: user.cookie } : {}),
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'x-csrf-token': user?.csrf ?? '' }
            : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        )
      },
    )
    req.on('error', (err) => resolve({ status: 0, body: String(err) }))
    req.end(payload)
  })
}
