// With PostgreSQL, syncs go through pg-boss and several worker processes share them; still only one sync per
// connection runs at a time. (On embedded PGlite there is one process and no queue; see sync-run.test.ts.)
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator, noSyncDispatcher } from '../../testing/sync-fixture.js'
import { buildTestApp, type TestApp } from '../../testing/test-app.js'
import { SLOW_TEST, SYNC_RUNS_WAIT_MS, waitFor } from '../../testing/timing.js'
import { createPgBossDispatcher, type BossDispatcher } from './sync-dispatch.js'
import { createSyncScheduler } from './sync-scheduler.js'

describe('two pg-boss workers', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let workers: BossDispatcher[] = []
  let connectionId = ''

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
    connectionId = await connectToEmulator(admin, emulator)
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
  it('queue no scheduled run behind the initial sync', SLOW_TEST, async (context) => {
    const url = t.database.url
    if (!url || workers.length === 0) {
      context.skip('pg-boss needs PostgreSQL; this runs in the postgres project (TEST_DATABASE_URL)')
      return
    }
    const db = t.database.db
    // A connection before its first run: no sync state, so the scheduler finds it due.
    await db.deleteFrom('crm_sync_runs').execute()
    await db.deleteFrom('crm_sync_state').execute()
    await emulator.control.addFault({ match: '/query', kind: 'slow', delayMs: 1500 })
    await workers[0]?.dispatch(connectionId, 'initial')
    const initial = await waitFor(async () => {
      const run = await db.selectFrom('crm_sync_runs').selectAll().executeTakeFirstOrThrow()
      expect(run.status).toBe('running')
      return run
    }, SYNC_RUNS_WAIT_MS)
    // Scheduler passes while the initial sync runs ask for nothing.
    const scheduler = createSyncScheduler(t.deps, workers[1]!)
    await scheduler.tick()
    await scheduler.tick()
    await emulator.control.clearFaults()
    await waitFor(async () => {
      const jobs = await sql<{ n: number }>`
        select count(*)::int as n from pgboss.job where name = 'crm-sync' and state in ('created', 'retry', 'active')`.execute(
        db,
      )
      expect(jobs.rows[0]?.n).toBe(0)
      const runs = await db.selectFrom('crm_sync_runs').select(['id', 'status']).execute()
      expect(runs.map((run) => run.status)).not.toContain('running')
    }, SYNC_RUNS_WAIT_MS)
    const runs = await db.selectFrom('crm_sync_runs').select(['id', 'trigger', 'status']).execute()
    expect(runs).toEqual([{ id: initial.id, trigger: 'initial', status: 'succeeded' }])
  })
})
