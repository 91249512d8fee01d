// Sign-in throttling holds when the guesses arrive all at once, and behind a proxy it counts the client's
// address as the proxy saw it, not whatever X-Forwarded-For the client made up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildTestApp, testConfig, type TestApp } from '../testing/test-app.js'
import { ACCOUNT_LIMIT, ADDRESS_LIMIT } from './login-throttle.js'

function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

describe('sign-in throttling under concurrency', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  const signIn = (email: string, remoteAddress = '127.0.0.1') =>
    t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      payload: { email, password: 'a wrong password, guessed' },
    })

  it(`checks at most ${ACCOUNT_LIMIT} of 100 parallel wrong passwords for one account`, async () => {
    await t.createUser({ email: 'target@example.com' })
    // Each from its own address, so only the account limit applies.
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => signIn('target@example.com', `198.51.100.${i}`)),
    )
    const counts = statusCounts(responses.map((response) => response.statusCode))
    expect(counts[401] ?? 0).toBeLessThanOrEqual(ACCOUNT_LIMIT)
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(100)
  })

  it(`checks at most ${ADDRESS_LIMIT} of 40 parallel wrong passwords from one address`, async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(`someone${i}@example.com`)),
    )
    const counts = statusCounts(responses.map((response) => response.statusCode))
    expect(counts[401] ?? 0).toBeLessThanOrEqual(ADDRESS_LIMIT)
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(40)
    const refused = responses.find((response) => response.statusCode === 429)
    expect(refused?.json().error.message).toMatch(/from your network address/)
  })
})

describe('sign-in throttling behind one proxy (TRUST_PROXY=1)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ TRUST_PROXY: '1' }) })
  })
  afterAll(() => t.close())

  it('counts the address the proxy saw, however the client rotates X-Forwarded-For', async () => {
    const attempt = (i: number) =>
      t.anonymous().request({
        method: 'POST',
        url: '/api/auth/login',
        // The client sends a made-up first hop; the proxy (this request's peer) appends the real address.
        headers: { 'x-forwarded-for': `10.9.${i}.1, 203.0.113.7` },
        payload: { email: `rotating${i}@example.com`, password: 'a wrong password, guessed' },
      })
    for (let i = 0; i < ADDRESS_LIMIT; i += 1) expect((await attempt(i)).statusCode).toBe(401)
    const refused = await attempt(ADDRESS_LIMIT)
    expect(refused.statusCode).toBe(429)
    expect(refused.json().error.message).toMatch(/from your network address/)
  })
})
