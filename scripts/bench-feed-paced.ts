// bench:feed's paced phases: latency at a stated offered load below saturation. For each offered rate the same
// signed-in users send the same mix as in the closed loop, open loop on a Poisson schedule (pacedUser in
// bench-feed-load.ts), each to the same process as in the closed loop, their live streams still open.
import type { SseStream } from '../server/testing/sse-client.js'
import {
  newTally,
  pacedUser,
  postToEvent,
  summary,
  type BenchUser,
  type Endpoint,
} from './bench-feed-load.js'

export interface PacedPhase {
  offeredRps: number
  achievedRps: number
  feedReadP50Ms: number
  feedReadP95Ms: number
  bellP95Ms: number
  postP95Ms: number
  postToEventP95Ms: number
  eventsMissing: number
  errors: number
}

/** The sweep stops after a phase whose feed read p95 is above this: the load is past saturation. */
export const pacedStopFeedP95Ms = 1000

/** The issue's targets: feed read p95 <= 50 ms, post-to-event p95 <= 500 ms (no event missing). */
export const meetsFeedTarget = (p95Ms: number) => p95Ms <= 50
export const meetsPostToEventTarget = (p95Ms: number, missing: number) => p95Ms <= 500 && missing === 0

export async function runPacedSweep(options: {
  rates: number[]
  seconds: number
  postShare: number
  users: BenchUser[]
  endpointOf: (u: BenchUser) => Endpoint
  streams: SseStream[]
  log: (message: string) => void
}): Promise<{ phases: PacedPhase[]; stoppedAt: number | null }> {
  const { rates, seconds, postShare, users, endpointOf, streams, log } = options
  const phases: PacedPhase[] = []
  for (const rate of rates) {
    log(`paced: ${rate} requests/s offered by ${users.length} users for ${seconds} s (open loop)`)
    const tally = newTally()
    const startedAt = performance.now()
    const endAt = startedAt + seconds * 1000
    await Promise.all(
      users.map((u) => pacedUser(u, endpointOf(u), postShare, rate / users.length, startedAt, endAt, tally)),
    )
    // Requests scheduled near the end may answer after it: the rate is over the time until the last answer.
    const elapsedSeconds = (performance.now() - startedAt) / 1000
    const delivered = await postToEvent(tally.posted, users, streams, 10_000)
    const feed = summary(tally.feed, elapsedSeconds)
    const phase: PacedPhase = {
      offeredRps: rate,
      achievedRps: Math.round(tally.answered / elapsedSeconds),
      feedReadP50Ms: feed.p50Ms,
      feedReadP95Ms: feed.p95Ms,
      bellP95Ms: summary(tally.bell, elapsedSeconds).p95Ms,
      postP95Ms: summary(tally.post, elapsedSeconds).p95Ms,
      postToEventP95Ms: summary(delivered.delays, elapsedSeconds).p95Ms,
      eventsMissing: delivered.missing,
      errors: tally.errors,
    }
    phases.push(phase)
    log(
      `  ${rate} offered: ${phase.achievedRps} achieved/s, feed p50 ${phase.feedReadP50Ms} ms p95 ${phase.feedReadP95Ms} ms, bell p95 ${phase.bellP95Ms} ms, post p95 ${phase.postP95Ms} ms, post-to-event p95 ${phase.postToEventP95Ms} ms (${phase.eventsMissing} missing), ${phase.errors} errors${tally.errorSamples.length > 0 ? `: ${tally.errorSamples.join(' | ')}` : ''}`,
    )
    if (!(feed.p95Ms <= pacedStopFeedP95Ms)) {
      log(`  feed read p95 above ${pacedStopFeedP95Ms} ms: the sweep stops at ${rate} requests/s`)
      return { phases, stoppedAt: rate }
    }
  }
  return { phases, stoppedAt: null }
}

/** The highest offered rate whose phase met both targets, null if none did. */
export function feedTargetMaxRps(phases: PacedPhase[]): number | null {
  const met = phases.filter(
    (p) => meetsFeedTarget(p.feedReadP95Ms) && meetsPostToEventTarget(p.postToEventP95Ms, p.eventsMissing),
  )
  return met.length === 0 ? null : Math.max(...met.map((p) => p.offeredRps))
}
