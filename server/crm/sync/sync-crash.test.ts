// A sync process killed with SIGKILL mid-run leaves a consistent cache, and the next run resumes from the
// last committed page instead of starting over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  killedSyncStorage,
  orgLiveIds,
  runChildAndKill,
  saveEmulatorConnection,
  type KilledSyncStorage,
} from '../../testing/killed-sync.js'
import { SLOW_TEST } from '../../testing/timing.js'
import { failInterruptedRuns } from './sync-runs.repository.js'
import { runSync } from './sync-run.js'

const OPPORTUNITIES = 3000

// REST pages carry their checkpoint record; a Bulk run keeps its job and locator (migration 0130).
const methods = [
  { method: 'rest', threshold: 50_000, pagePath: '/query/' },
  { method: 'bulk', threshold: 0, pagePath: '/results' },
] as const

describe.each(methods)('a $method sync killed mid-run', ({ method, threshold, pagePath }) => {
  let emulator: RunningEmulator
  let storage: KilledSyncStorage

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: OPPORTUNITIES, seed: 21 })
    storage = await killedSyncStorage('crm-crash-')
  })
  afterAll(async () => {
    await emulator.close()
    await storage.close()
  })

  it('keeps a consistent cache and resumes from the checkpoint', SLOW_TEST, async () => {
    const dataDir = storage.dataDir
    let database = await storage.open()
    const { connectionId } = await saveEmulatorConnection(storage.deps(database), emulator)
    await database.db
      .insertInto('crm_sync_state')
      .values({ connection_id: connectionId, bulk_threshold: threshold })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ bulk_threshold: threshold }))
      .execute()
    if (dataDir) await database.close()

    // Slow pages, so the kill lands in the middle of the run.
    await emulator.control('POST', '/faults', { match: pagePath, kind: 'slow', delayMs: 150 })
    const requests = (part: string, verb = 'GET') =>
      emulator.org.requestLog.filter((r) => r.path.includes(part) && r.method === verb && r.status < 300)
    const pagesServed = () => requests(pagePath).length
    // The emulator runs in this process and holds each page 150 ms, so a poll sees the 4th page well before
    // the last one (15 pages), however slowly the child starts.
    await runChildAndKill(storage, connectionId, () => expect(pagesServed()).toBeGreaterThanOrEqual(4))
    await emulator.control('DELETE', '/faults')

    if (dataDir) database = await storage.open()
    const deps = storage.deps(database)
    const cachedAfterKill = (await database.db.selectFrom('crm_opportunities').select('id').execute()).length
    expect(cachedAfterKill).toBeGreaterThan(0)
    expect(cachedAfterKill).toBeLessThan(OPPORTUNITIES)
    const state = await database.db.selectFrom('crm_sync_state').selectAll().executeTakeFirstOrThrow()
    if (method === 'rest') {
      // The checkpoint names a record that is in the cache: it never ran ahead of a committed page.
      const checkpointRow = await database.db
        .selectFrom('crm_opportunities')
        .select('id')
        .where('id', '=', state.high_water_id ?? '')
        .executeTakeFirst()
      expect(checkpointRow).toBeDefined()
    } else {
      // Bulk: the job and the locator after the last committed page; no high-water mark before the last page.
      expect(state.bulk_job_id).toMatch(/^750/)
      expect(state.bulk_locator).not.toBeNull()
      expect(state.high_water_modstamp).toBeNull()
    }
    const jobsCreated = requests('/jobs/query', 'POST').length
    const pagesBeforeRestart = pagesServed()

    // Restart: the interrupted run is recorded as such, and the next run resumes.
    expect(await failInterruptedRuns(database.db, new Date())).toBe(1)
    const resumed = await runSync(deps, connectionId, 'scheduled', {
      tuning: { batchSize: 200, bulkMaxRecords: 200, sleep: async () => undefined },
    })
    expect(resumed).toMatchObject({ started: true, status: 'succeeded' })
    const run = await database.db
      .selectFrom('crm_sync_runs')
      .selectAll()
      .where('status', '=', 'succeeded')
      .executeTakeFirstOrThrow()
    // Not started over: fewer records fetched than the org holds, and (Bulk) no second export job.
    expect(run.records_fetched).toBeLessThan(OPPORTUNITIES)
    expect(requests('/jobs/query', 'POST').length).toBe(jobsCreated)
    if (method === 'bulk') {
      expect(pagesServed() - pagesBeforeRestart).toBeLessThan(OPPORTUNITIES / 200)
      const events = await database.db
        .selectFrom('crm_sync_events')
        .select('message')
        .where('run_id', '=', run.id)
        .execute()
      expect(events.map((e) => e.message).join('\n')).toMatch(/Resuming Bulk API job 750\w+ where/)
      const after = await database.db.selectFrom('crm_sync_state').selectAll().executeTakeFirstOrThrow()
      expect(after).toMatchObject({ bulk_job_id: null, bulk_locator: null })
      expect(after.high_water_modstamp).not.toBeNull()
    }
    const rows = await database.db
      .selectFrom('crm_opportunities')
      .select(['id', 'amount', 'system_modstamp'])
      .where('is_deleted', '=', false)
      .orderBy('id')
      .execute()
    expect(rows.map((r) => r.id)).toEqual(orgLiveIds(emulator))
    await database.close()
  })
})
