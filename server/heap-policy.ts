// The heap growth policy of a server or worker process (HEAP_GROWTH_PERCENT, config.ts).
// A sync reads Salesforce page by page: each page (parsed CSV, cache rows, the statement that writes them) is
// garbage once committed, so the live heap stays at 50-80 MB whatever the org's size. V8's default policy,
// tuned for short-lived pages in a browser, lets the old generation grow to up to four times what the last
// full collection kept before collecting again, so a process syncing a million records sat at ~400 MB
// resident for ~70 MB of live data. A growth factor of 1.5 collects sooner: bench:sync measured 393 -> 230 MB
// peak RSS at 200,000 records on PostgreSQL, with the same sync time within the machine's noise.
// --heap-growing-percent is read by V8 at every full collection, so setting it once at start takes effect
// even though the heap already exists.
import { setFlagsFromString } from 'node:v8'

export function applyHeapPolicy(growthPercent: number): void {
  if (growthPercent > 0) setFlagsFromString(`--heap-growing-percent=${growthPercent}`)
}
