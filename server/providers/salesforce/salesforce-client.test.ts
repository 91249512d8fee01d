// The Salesforce client's contract, against the emulator: each CrmSession method returns what the org holds,
// in our types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../../../emulator/start-emulator.js'
import type { CrmProvider, CrmSession, Grant } from '../crm-provider.js'
import { createOutboundGuard } from './outbound-guard.js'
import { createSalesforceProvider } from './salesforce-provider.js'

describe('the Salesforce client', () => {
  let emulator: RunningEmulator
  let provider: CrmProvider
  let session: CrmSession

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 450, seed: 3 })
    provider = createSalesforceProvider({
      guard: createOutboundGuard(['127.0.0.1:*']),
      apiVersion: '62.0',
      timeoutMs: 10_000,
    })
    const c = emulator.credentials
    const app = { loginUrl: emulator.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret }
    const grant: Grant = {
      type: 'password',
      username: c.username,
      password: c.password,
      securityToken: c.securityToken,
    }
    const tokens = await provider.signIn(app, grant)
    session = provider.openSession(tokens, { reauthenticate: () => provider.signIn(app, grant) })
  })
  afterAll(async () => {
    await emulator.close()
  })

  const orgIds = () =>
    [...emulator.org.records.allRecords('Opportunity')].map((record) => String(record['Id'])).sort()

  it('reads limits, the user and the visible fields', async () => {
    expect(await session.limits()).toMatchObject({ max: expect.any(Number), remaining: expect.any(Number) })
    expect((await session.userInfo()).username).toBe(emulator.credentials.username)
    const describe = await session.describeOpportunity()
    expect(describe.queryable).toBe(true)
    expect(describe.fields.has('StageName')).toBe(true)
  })

  it('pages every opportunity over REST and with a Bulk API job, and counts them', async () => {
    const { fields } = await session.describeOpportunity()
    const plan = session.planOpportunityFields(fields, [])
    expect(await session.countOpportunities()).toBe(orgIds().length)
    for (const method of ['rest', 'bulk'] as const) {
      const ids: string[] = []
      const bulk = { pollIntervalMs: 5, sleep: async () => undefined }
      for await (const page of session.opportunityPages({ plan, method, pageSize: 200, bulk })) {
        for (const record of page.records) {
          expect(record.systemModstamp).toBeInstanceOf(Date)
          ids.push(record.id)
        }
      }
      expect(ids.sort(), method).toEqual(orgIds())
    }
    const [first] = orgIds()
    const byId = []
    for await (const page of session.opportunitiesByIds([first ?? ''], plan, 200)) byId.push(...page.records)
    expect(byId.map((record) => record.id)).toEqual([first])
    expect(session.calls).toBeGreaterThan(5)
  })

  it('lists deletes and counts only what changed since a mark', async () => {
    const now = new Date(emulator.org.now())
    const deleted = await session.deletedOpportunities(new Date(now.getTime() - 86_400_000), now)
    expect(deleted.latestDateCovered).toBeInstanceOf(Date)
    expect(await session.countOpportunities(new Date(now.getTime() + 60_000))).toBe(0)
  })
})
