// Every Salesforce call has one deadline over connecting, the headers and the whole body (guarded-fetch.ts):
// against the emulator's network faults on a real socket (emulator/http/faults.ts), each call type rejects within
// the deadline with a retryable SalesforceError when its body is cut, reset, stalled or cut off mid-chunk, and
// with the sync's call policy the call tracker retries it like a 5xx and the call succeeds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../../../emulator/start-emulator.js'
import type { CallPolicy, CrmProvider, CrmSession, Grant } from '../crm-provider.js'
import { createOutboundGuard } from './outbound-guard.js'
import { SalesforceError } from './salesforce-errors.js'
import { createSalesforceProvider } from './salesforce-provider.js'

const DEADLINE_MS = 1_500
/** Scheduling slack on a loaded machine, on top of the deadline. */
const SLACK_MS = 1_500
const BODY_FAULTS = ['cut_body', 'reset_body', 'stall_body', 'cut_chunked'] as const
const RETRYABLE = ['timeout', 'unreachable', 'server_error', 'bad_response']
const V = '/services/data/v62.0'

describe('the deadline of every Salesforce call', () => {
  let emulator: RunningEmulator
  let provider: CrmProvider
  let app: { loginUrl: string; consumerKey: string; consumerSecret: string }
  let grant: Grant
  const retries: string[] = []
  const open = async (policy?: CallPolicy): Promise<CrmSession> =>
    provider.openSession(await provider.signIn(app, grant), {
      reauthenticate: () => provider.signIn(app, grant),
      ...(policy ? { calls: policy } : {}),
    })
  const retrying: CallPolicy = {
    attempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 1,
    onRetry: (error) => void retries.push(error.kind),
    sleep: async () => undefined,
    random: () => 0,
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 450, seed: 11 })
    provider = createSalesforceProvider({
      guard: createOutboundGuard(['127.0.0.1:*']),
      apiVersion: '62.0',
      timeoutMs: DEADLINE_MS,
    })
    const c = emulator.credentials
    app = { loginUrl: emulator.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret }
    grant = { type: 'password', username: c.username, password: c.password, securityToken: c.securityToken }
  })
  beforeEach(async () => {
    retries.length = 0
    await emulator.control.clearFaults()
  })
  afterAll(() => emulator.close())

  const bulk = { pollIntervalMs: 5, sleep: async () => undefined }
  const drain = async (pages: AsyncIterable<{ records: unknown[] }>) => {
    let n = 0
    for await (const page of pages) n += page.records.length
    return n
  }
  const planOf = async (session: CrmSession) =>
    session.planOpportunityFields((await session.describeOpportunity()).fields, [])

  // Each call type, the request the fault matches, and the call itself.
  const calls: Array<{ name: string; match: string; run: (session: CrmSession) => Promise<unknown> }> = [
    {
      name: 'a REST query page',
      match: `GET ${V}/queryAll`,
      run: async (s) => drain(s.opportunityPages({ plan: await planOf(s), method: 'rest', pageSize: 200 })),
    },
    {
      name: 'a Bulk API results page',
      match: 're:/jobs/query/[^/]+/results',
      run: async (s) =>
        drain(s.opportunityPages({ plan: await planOf(s), method: 'bulk', pageSize: 200, bulk })),
    },
    { name: 'describe', match: '/sobjects/Opportunity/describe', run: (s) => s.describeOpportunity() },
    { name: 'limits', match: `${V}/limits`, run: (s) => s.limits() },
    { name: 'the user info', match: '/services/oauth2/userinfo', run: (s) => s.userInfo() },
    {
      name: 'a live-mode read',
      match: `GET ${V}/query`,
      run: (s) => s.query('SELECT Id, Name FROM Opportunity ORDER BY Name LIMIT 50'),
    },
  ]

  for (const call of calls) {
    for (const kind of BODY_FAULTS) {
      it(`${call.name}: ${kind} rejects within the deadline as retryable, and is retried`, async () => {
        const once = await open()
        await emulator.control.addFault({ match: call.match, kind, times: 1 })
        const started = Date.now()
        const error = await call.run(once).then(
          () => undefined,
          (err: unknown) => err,
        )
        const settledMs = Date.now() - started
        expect(error).toBeInstanceOf(SalesforceError)
        expect(RETRYABLE).toContain((error as SalesforceError).kind)
        expect(settledMs).toBeLessThan(DEADLINE_MS + SLACK_MS)

        const retried = await open(retrying)
        await emulator.control.addFault({ match: call.match, kind, times: 1 })
        await expect(call.run(retried)).resolves.toBeDefined()
        expect(retries).toHaveLength(1)
      })
    }
  }

  for (const kind of BODY_FAULTS) {
    it(`the OAuth token call: ${kind} rejects within the deadline as retryable`, async () => {
      await emulator.control.addFault({ match: 'POST /services/oauth2/token', kind, times: 1 })
      const started = Date.now()
      const error = await provider.signIn(app, grant).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(error).toBeInstanceOf(SalesforceError)
      expect(RETRYABLE).toContain((error as SalesforceError).kind)
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS + SLACK_MS)
      await expect(provider.signIn(app, grant)).resolves.toMatchObject({ accessToken: expect.any(String) })
    })
  }

  it('a stalled body says how much of it arrived', async () => {
    const session = await open()
    await emulator.control.addFault({ match: `${V}/limits`, kind: 'stall_body', times: 1 })
    await expect(session.limits()).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/stopped sending its answer: \d+ of \d+ bytes arrived within 2 s/),
    })
  })
})
