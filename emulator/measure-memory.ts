// Measures what a generated org costs in memory: `node --expose-gc --import tsx emulator/measure-memory.ts 1000000`.
// Prints one JSON line: generation time, RSS and heap after a full GC, and bytes per opportunity. The bar is
// a 1,000,000-opportunity org in at most 1.5 GB RSS.
import { generateOrg } from './org/generate.js'
import { createOrg } from './org/org.js'

const opportunities = Number(process.argv[2] ?? '1000000')
if (!Number.isInteger(opportunities) || opportunities < 0) throw new Error('usage: measure-memory.ts <count>')

const gc = (globalThis as { gc?: () => void }).gc
// Without --expose-gc the figures include garbage not yet collected.
const collect = () => gc?.()
collect()
const before = process.memoryUsage()
const started = performance.now()
const org = createOrg()
generateOrg(org, { opportunities, seed: 42 })
const generationMs = Math.round(performance.now() - started)
collect()
const after = process.memoryUsage()
const mb = (bytes: number) => Math.round(bytes / 1_048_576)
console.log(
  JSON.stringify({
    opportunities,
    teamMembers: org.records.count('OpportunityTeamMember'),
    accounts: org.records.count('Account'),
    users: org.records.count('User'),
    generationMs,
    rssMb: mb(after.rss),
    heapUsedMb: mb(after.heapUsed),
    heapBytesPerOpportunity: opportunities
      ? Math.round((after.heapUsed - before.heapUsed) / opportunities)
      : 0,
    gcExposed: gc !== undefined,
  }),
)
