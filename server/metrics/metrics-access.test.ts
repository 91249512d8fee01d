// /metrics shows the org's size, the API allowance left and the connection's status: by default only a scraper
// on this machine may read it (the socket's peer is loopback and no proxy forwarded the request), and with
// METRICS_TOKEN set only a caller sending that bearer token, from anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildTestApp, testConfig, type TestApp } from '../testing/test-app.js'

const TOKEN = 'metrics-scraper-token-0123456789abcdef'

describe('who may read /metrics', () => {
  let open: TestApp
  let withToken: TestApp
  beforeAll(async () => {
    open = await buildTestApp()
    withToken = await buildTestApp({ config: testConfig({ METRICS_TOKEN: TOKEN }) })
  })
  afterAll(async () => {
    await open.close()
    await withToken.close()
  })

  const scrape = (t: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers })

  it('answers a scraper on loopback and refuses everyone else when no token is set', async () => {
    expect((await scrape(open, '127.0.0.1')).statusCode).toBe(200)
    expect((await scrape(open, '::1')).statusCode).toBe(200)
    const remote = await scrape(open, '203.0.113.7')
    expect(remote.statusCode).toBe(403)
    expect(remote.body).not.toContain('crm_')
    // A reverse proxy on this machine forwarding an outside request is not a local scraper.
    expect((await scrape(open, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).statusCode).toBe(403)
  })

  it('answers only the bearer token when METRICS_TOKEN is set, wherever the scraper is', async () => {
    expect((await scrape(withToken, '203.0.113.7', { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(
      200,
    )
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const refused = await scrape(withToken, '127.0.0.1', headers)
      expect(refused.statusCode).toBe(401)
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"')
    }
  })
})
