// Whole syncs against an org whose every Nth response breaks on the wire (emulator/http/faults.ts, real
// sockets): each broken call settles within the deadline (CRM_HTTP_TIMEOUT_MS, shortened here), is retried like
// a 5xx, and the run ends with the cache equal to the org.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  cachedOpportunities,
  lastRun,
  orgOpportunities,
  startSyncSetup,
  syncNow,
  type SyncSetup,
} from '../../testing/sync-fixture.js'
import { testConfig, type TestApp } from '../../testing/test-app.js'

const DEADLINE_MS = 1_500

describe('a sync over a network that cuts responses mid-body', () => {
  let setup: SyncSetup
  let emulator: RunningEmulator
  let t: TestApp
  let connectionId: string
  beforeAll(async () => {
    setup = await startSyncSetup(
      { opportunities: 900, seed: 21 },
      testConfig({ CRM_HTTP_TIMEOUT_MS: String(DEADLINE_MS) }),
    )
    ;({ emulator, t, connectionId } = setup)
  })
  beforeEach(() => emulator.control.clearFaults())
  afterAll(() => setup.close())

  const retriesOf = async (runId: number) =>
    (
      await t.database.db
        .selectFrom('crm_sync_events')
        .select('message')
        .where('run_id', '=', runId)
        .execute()
    ).filter((event) => /retry \d/.test(event.message)).length

  const syncThrough = async (
    kind: 'cut_body' | 'reset_body' | 'cut_chunked' | 'stall_body',
    every: number,
  ) => {
    await emulator.control.addFault({ match: '/services/', kind, every })
    const started = Date.now()
    const result = await syncNow(t, connectionId, 'manual')
    const elapsedMs = Date.now() - started
    await emulator.control.clearFaults()
    const run = await lastRun(t)
    return { result, run, retries: await retriesOf(run.id), elapsedMs }
  }

  it('a full REST sync with every 3rd response cut short of its Content-Length ends equal to the org', async () => {
    const { result, retries } = await syncThrough('cut_body', 3)
    expect(result).toMatchObject({ status: 'succeeded' })
    expect(retries).toBeGreaterThan(2)
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })

  it('a Bulk API sync with every 3rd response reset mid-body, then with chunked bodies cut off', async () => {
    await t.database.db.updateTable('crm_sync_state').set({ bulk_threshold: 100 }).execute()
    for (const [seed, kind] of [
      [31, 'reset_body'],
      [32, 'cut_chunked'],
    ] as const) {
      await emulator.control.mutateOpportunities({ percent: 40, seed })
      const { result, run, retries } = await syncThrough(kind, 3)
      expect(result, kind).toMatchObject({ status: 'succeeded' })
      expect(run.method, kind).toBe('bulk')
      expect(retries, kind).toBeGreaterThan(0)
      expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
    }
  })

  it('a sync with every 4th response stalled mid-body gives up on each within the deadline and ends equal', async () => {
    await t.database.db.updateTable('crm_sync_state').set({ bulk_threshold: 100_000 }).execute()
    await emulator.control.mutateOpportunities({ percent: 30, seed: 33 })
    const { result, retries, elapsedMs } = await syncThrough('stall_body', 4)
    expect(result).toMatchObject({ status: 'succeeded' })
    expect(retries).toBeGreaterThan(0)
    // Each stalled call costs one deadline, no more.
    expect(elapsedMs).toBeLessThan((retries + 2) * DEADLINE_MS + 30_000)
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })
})
