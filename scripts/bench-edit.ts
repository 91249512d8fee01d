// `npm run bench:edit -- --edits 200`: the portal edit's round trip to Salesforce against the local emulator,
// through the CrmSession a portal edit uses: the conditional PATCH of one changed field (If-Unmodified-Since) and
// the read-back of the record with who changed it (what refreshes the cache row). Each edit is timed from the
// PATCH to the end of the read-back; the last line is JSON with p50/p95/max in milliseconds.
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
  const ids = [...emulator.org.records.allRecords('Opportunity')].map((record) => String(record['Id']))
  const timings: number[] = []
  for (let i = 0; i < warmup + edits; i += 1) {
    const id = ids[i % ids.length] ?? ''
    const seen = await session.currentOpportunity(id, FIELDS)
    const started = performance.now()
    await session.updateOpportunity({
      id,
      values: { NextStep: `Step ${i}` },
      ifUnmodifiedSince: seen?.lastModifiedDate,
    })
    await session.currentOpportunity(id, FIELDS)
    if (i >= warmup) timings.push(performance.now() - started)
  }
  timings.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms * 100) / 100
  console.log(
    JSON.stringify({
      edits,
      calls: session.calls,
      p50Ms: round(percentile(timings, 50)),
      p95Ms: round(percentile(timings, 95)),
      maxMs: round(timings[timings.length - 1] ?? NaN),
    }),
  )
} finally {
  await emulator.close()
}
