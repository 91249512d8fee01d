// A run that stops making progress is ended: Salesforce's answers stall forever (the emulator holds the
// connection open after half a body, emulator/http/faults.ts) while the call's own deadline is far away, so
// only the stall watch (CRM_SYNC_STALL_MS, shortened here) can end the run. It ends "failed: stalled" with a
// hint, its checkpoint kept, and the next run resumes from it (still a full sync, so no reconciliation follows)
// and leaves the cache equal to the org. A run that another process ended stops and keeps the end it was given.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  cachedOpportunities,
  lastRun,
  orgOpportunities,
  startSyncSetup,
  syncNow,
  testTuning,
  type SyncSetup,
} from '../../testing/sync-fixture.js'
import { testConfig, type TestApp } from '../../testing/test-app.js'
import { SLOW_TEST, waitFor } from '../../testing/timing.js'
import { runSync } from './sync-run.js'
import { failDeadRun } from './sync-runs.repository.js'

const STALL_MS = 2_000
const DEADLINE_MS = 120_000
const OPPORTUNITIES = 1_400

describe('a sync whose Salesforce stops answering', () => {
  let setup: SyncSetup
  let emulator: RunningEmulator
  let t: TestApp
  let connectionId: string
  beforeAll(async () => {
    setup = await startSyncSetup(
      { opportunities: OPPORTUNITIES, seed: 41 },
      testConfig({ CRM_HTTP_TIMEOUT_MS: String(DEADLINE_MS), CRM_SYNC_STALL_MS: String(STALL_MS) }),
    )
    ;({ emulator, t, connectionId } = setup)
  })
  beforeEach(() => emulator.control.clearFaults())
  afterAll(() => setup.close())

  /** A full sync whose query pages stall forever from the page after `pages` on. */
  const syncStallingAfter = (pages: number) => {
    let committed = 0
    return runSync(t.deps, connectionId, 'manual', {
      tuning: testTuning,
      hooks: {
        afterPage: async () => {
          committed += 1
          if (committed === pages) await emulator.control.addFault({ match: '/query', kind: 'stall_body' })
        },
      },
    })
  }

  it('ends failed: stalled within the limit, keeps its checkpoint, and the next run resumes to cache = org', async () => {
    const result = await syncStallingAfter(2)
    expect(result).toMatchObject({ started: true, status: 'failed' })
    const stalled = await lastRun(t)
    expect(stalled.error_code).toBe('STALLED')
    expect(stalled.error_message).toMatch(/^Stalled: no progress for \d+ s/)
    expect(stalled.error_hint).toMatch(/resumes from the last saved page/)
    expect(stalled.last_page).toBeGreaterThanOrEqual(2)
    // Ended by the stall watch, long before the call's own deadline would have.
    const progressAt = stalled.progress_at ? new Date(stalled.progress_at).getTime() : 0
    expect(new Date(stalled.finished_at ?? 0).getTime() - progressAt).toBeLessThan(DEADLINE_MS / 2)
    expect(await emulator.control.stalledConnections()).toBeGreaterThan(0)
    const state = await t.database.db
      .selectFrom('crm_sync_state')
      .select(['high_water_modstamp', 'high_water_id'])
      .executeTakeFirstOrThrow()
    expect(state.high_water_id).toBeTruthy()
    const cachedBefore = (await cachedOpportunities(t)).length
    expect(cachedBefore).toBeGreaterThanOrEqual(2 * testTuning.batchSize!)
    expect(cachedBefore).toBeLessThan(OPPORTUNITIES)

    await emulator.control.clearFaults()
    const next = await syncNow(t, connectionId, 'manual')
    expect(next).toMatchObject({ started: true, status: 'succeeded' })
    const resumed = await lastRun(t)
    // Resumed from the checkpoint: the pages already saved are not fetched again.
    expect(resumed.records_fetched).toBeLessThanOrEqual(OPPORTUNITIES - cachedBefore + testTuning.batchSize!)
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
    // The resumed full sync stays full: it is the last full sync, and needs no reconciliation after it.
    const messages = (
      await t.database.db
        .selectFrom('crm_sync_events')
        .select('message')
        .where('run_id', '=', resumed.id)
        .execute()
    ).map((event) => event.message)
    expect(messages.join('\n')).toMatch(/Resuming the unfinished full sync/)
    expect(messages.join('\n')).not.toMatch(/Reconciliation compared/)
    const after = await t.database.db
      .selectFrom('crm_sync_state')
      .select(['last_full_sync_at', 'full_sync_started_at', 'last_reconcile_at'])
      .executeTakeFirstOrThrow()
    expect(after.full_sync_started_at).toBeNull()
    expect(after.last_reconcile_at).toBeNull()
    // As of when the full pass began, in the stalled run.
    expect(after.last_full_sync_at?.getTime()).toBeGreaterThanOrEqual(stalled.started_at.getTime())
    expect(after.last_full_sync_at?.getTime()).toBeLessThan(resumed.started_at.getTime())
  })

  it('a run ended by another process stops at once and keeps that end', SLOW_TEST, async () => {
    await emulator.control.mutateOpportunities({ percent: 50, seed: 42 })
    await emulator.control.addFault({ match: '/query', kind: 'slow', delayMs: 600 })
    const running = runSync(t.deps, connectionId, 'manual', { tuning: testTuning, stallMs: 600_000 })
    const run = await waitFor(async () => {
      const row = await lastRun(t)
      expect(row.status).toBe('running')
      return row
    })
    expect(await failDeadRun(t.database.db, run.id, new Date(), 'a test says so.')).toBe(true)
    // Its next page finds the run ended (or the heartbeat does): the run stops and writes no end of its own.
    await expect(running).resolves.toMatchObject({ status: 'failed' })
    const ended = await lastRun(t)
    expect(ended.id).toBe(run.id)
    expect(ended.error_message).toBe('Interrupted: a test says so.')
    await emulator.control.clearFaults()
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })
})
