// `npm run bench:edit -- --edits 200`: the portal edit's round trip to Salesforce against the local emulator,
// through the CrmSession a portal edit uses: the conditional PATCH of one changed field (If-Unmodified-Since) and
// the read-back of the record with who changed it (what refreshes the cache row). Each edit is timed from the
// PATCH to the end of the read-back. Two paths side by side, alternating edit by edit: the integration user's
// (PATCH and read-back on the connection's session) and a connected account's ("Connect my Salesforce
// account": the PATCH on that user's own session, the read-back on the integration user's, as the edit
// service does). The last line is JSON with p50/p95/max of each in milliseconds and the per-user/integration
// ratios.
import { parseArgs } from 'node:util'

import { startEmulator } from '../emulator/start-emulator.js'
import type { Grant } from '../server/providers/crm-provider.js'
import { createOutboundGuard } from '../server/providers/salesforce/outbound-guard.js'
import { createSalesforceProvider } from '../server/providers/salesforce/salesforce-provider.js'

const { values } = parseArgs({
  options: { edits: { type: 'string', default: '200' }, warmup: { type: 'string', default: '20' } },
})
const edits = Number(values.edits)
const warmup = Number(values.warmup)
const FIELDS = ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep']

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN

const emulator = await startEmulator({ opportunities: 50, seed: 16 })
try {
  const provider = createSalesforceProvider({
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
  const session = provider.openSession(await provider.signIn(app, grant), {
    reauthenticate: () => provider.signIn(app, grant),
  })
  const member = { username: 'bench.member@org.test', password: 'bench-pass', securityToken: 'tok' }
  await emulator.control.addUser({ ...member, firstName: 'Bench', lastName: 'Member' })
  const memberGrant: Grant = { type: 'password', ...member }
  const memberSession = provider.openSession(await provider.signIn(app, memberGrant), {
    reauthenticate: () => provider.signIn(app, memberGrant),
  })
  const ids = [...emulator.org.records.allRecords('Opportunity')].map((record) => String(record['Id']))
  const paths = { integration: session, perUser: memberSession }
  const timings: Record<keyof typeof paths, number[]> = { integration: [], perUser: [] }
  for (let i = 0; i < 2 * (warmup + edits); i += 1) {
    const path = i % 2 === 0 ? 'integration' : 'perUser'
    const id = ids[i % ids.length] ?? ''
    const seen = await session.currentOpportunity(id, FIELDS)
    const started = performance.now()
    await paths[path].updateOpportunity({
      id,
      values: { NextStep: `Step ${i}` },
      ifUnmodifiedSince: seen?.lastModifiedDate,
    })
    await session.currentOpportunity(id, FIELDS)
    if (i >= 2 * warmup) timings[path].push(performance.now() - started)
  }
  const round = (ms: number) => Math.round(ms * 100) / 100
  const figures = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b)
    return {
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      maxMs: round(sorted[sorted.length - 1] ?? NaN),
    }
  }
  const integration = figures(timings.integration)
  const perUser = figures(timings.perUser)
  console.log(
    JSON.stringify({
      edits,
      calls: session.calls + memberSession.calls,
      integration,
      perUser,
      ratioP50: round(perUser.p50Ms / integration.p50Ms),
      ratioP95: round(perUser.p95Ms / integration.p95Ms),
    }),
  )
} finally {
  await emulator.close()
}
