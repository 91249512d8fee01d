// With PostgreSQL, syncs go through pg-boss and several worker processes share them; still only one sync per
// connection runs at a time. (On embedded PGlite there is one process and no queue; see sync-run.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator, noSyncDispatcher } from '../../testing/sync-fixture.js'
import { buildTestApp, type TestApp } from '../../testing/test-app.js'
import { SLOW_TEST, SYNC_RUNS_WAIT_MS, waitFor } from '../../testing/timing.js'
import { createPgBossDispatcher, type BossDispatcher } from './sync-dispatch.js'

describe('two pg-boss workers', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let workers: BossDispatcher[] = []

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 2000, seed: 8 })
    t = await buildTestApp({ syncDispatcher: noSyncDispatcher })
  })
  afterAll(async () => {
    for (const worker of workers) await worker.stop()
    await t.close()
    await emulator.close()
  })

  it('share the sync jobs, never running two syncs of one connection at once', SLOW_TEST, async (context) => {
    const url = t.database.url
    if (!url) {
      context.skip('pg-boss needs PostgreSQL; this runs in the postgres project (TEST_DATABASE_URL)')
      return
    }
    const admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const connectionId = await connectToEmulator(admin, emulator)
    workers = [await createPgBossDispatcher(t.deps, url, {}), await createPgBossDispatcher(t.deps, url, {})]
    for (const worker of workers) await worker.work()
    // Several requests at once: the queue keeps one (policy "stately": one queued, one active per connection).
    await Promise.all([
      workers[0]?.dispatch(connectionId, 'initial'),
      workers[1]?.dispatch(connectionId, 'manual'),
    ])
    // The first run has been claimed (running, or already done on a fast machine).
    await waitFor(async () =>
      expect(await t.database.db.selectFrom('crm_sync_runs').select('id').execute()).not.toEqual([]),
    )
    // While it runs, more requests arrive: one waits its turn, the others are dropped.
    await Promise.all([
      workers[1]?.dispatch(connectionId, 'manual'),
      workers[0]?.dispatch(connectionId, 'manual'),
    ])
    const runs = await waitFor(async () => {
      const rows = await t.database.db
        .selectFrom('crm_sync_runs')
        .select(['status', 'started_at', 'finished_at', 'worker', 'error_message'])
        .orderBy('started_at')
        .execute()
      expect(rows.length).toBeGreaterThanOrEqual(2)
      expect(rows.map((run) => run.status)).not.toContain('running')
      return rows
    }, SYNC_RUNS_WAIT_MS)
    expect(runs.length).toBe(2)
    expect(
      runs.map((run) => run.status),
      JSON.stringify(runs),
    ).toEqual(['succeeded', 'succeeded'])
    for (let i = 1; i < runs.length; i += 1) {
      expect(runs[i]?.started_at.getTime()).toBeGreaterThanOrEqual(
        runs[i - 1]?.finished_at?.getTime() ?? Infinity,
      )
    }
  })
})
