import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterEach, describe, expect, it } from 'vitest'

import { newTally, pacedUser, type BenchUser, type Endpoint } from './bench-feed-load.js'

const user: BenchUser = {
  index: 0,
  team: 0,
  deals: ['006000000000001AAA'],
  cookie: 'crm_session=x',
  csrf: 'c',
}
const opened: Array<{ server: http.Server; agent: http.Agent }> = []

/** A loopback server answering 200 to every GET; while `hold(requests seen)` is true it holds the answers. */
async function endpoint(hold: (seen: number) => boolean): Promise<Endpoint & { seen: () => number }> {
  const held: Array<() => void> = []
  let seen = 0
  const server = http.createServer((_req, res) => {
    seen += 1
    held.push(() => res.end('{}'))
    if (hold(seen)) return
    for (const answer of held.splice(0)) answer()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 })
  opened.push({ server, agent })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, agent, seen: () => seen }
}

afterEach(async () => {
  for (const { server, agent } of opened.splice(0)) {
    agent.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
})

describe('pacedUser (open loop)', () => {
  it('sends a scheduled request while the previous ones are still pending', async () => {
    // Nothing is answered until three requests are pending: a closed loop would never send the second. About 50
    // requests are scheduled (1,000/s for 50 ms).
    const target = await endpoint((seen) => seen < 3)
    const tally = newTally()
    const now = performance.now()
    await pacedUser(user, target, 0, 1000, now, now + 50, tally)
    expect(target.seen()).toBeGreaterThanOrEqual(3)
    expect(tally.feed.length + tally.bell.length).toBe(target.seen())
    expect(tally.errors).toBe(0)
  })

  it('times each request from its scheduled time, not from when it was sent', async () => {
    // Every scheduled time lies 500 to 1000 ms in the past and the server answers at once: each latency still
    // covers the wait since its schedule (a stalled client or server is not hidden).
    const target = await endpoint(() => false)
    const tally = newTally()
    const now = performance.now()
    await pacedUser(user, target, 0, 50, now - 1000, now - 500, tally)
    const latencies = [...tally.feed, ...tally.bell]
    expect(latencies.length).toBeGreaterThan(0)
    for (const ms of latencies) expect(ms).toBeGreaterThanOrEqual(500)
    expect(tally.answered).toBe(latencies.length)
  })
})
