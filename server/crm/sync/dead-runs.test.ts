// A sync process killed with SIGKILL mid-run does not block the next one: after a restart, Start Sync ends the
// dead run ("interrupted"), frees its pg-boss job (PostgreSQL) and starts a new run within seconds, whatever the
// schedule says, and that run resumes and makes the cache equal to the org.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  killedSyncStorage,
  orgLiveIds,
  runChildAndKill,
  saveEmulatorConnection,
  type KilledSyncStorage,
} from '../../testing/killed-sync.js'
import { SLOW_TEST, waitFor } from '../../testing/timing.js'
import { isWorkerGone } from './dead-runs.js'
import { createSyncRuntime } from './sync-runtime.js'
import { startSync } from './sync.service.js'

const OPPORTUNITIES = 2000

describe.each([{ schedule: 'hourly' }, { schedule: 'daily' }] as const)(
  'a sync killed with -9, then a restart ($schedule schedule)',
  ({ schedule }) => {
    let emulator: RunningEmulator
    let storage: KilledSyncStorage

    beforeAll(async () => {
      emulator = await startTestEmulator({ opportunities: OPPORTUNITIES, seed: 23 })
      storage = await killedSyncStorage('crm-dead-run-')
    })
    afterAll(async () => {
      await emulator.close()
      await storage.close()
    })

    it('starts a new run within seconds of Start Sync and ends with cache = org', SLOW_TEST, async () => {
      const dataDir = storage.dataDir
      let database = await storage.open()
      const { adminId, connectionId } = await saveEmulatorConnection(storage.deps(database), emulator)
      // The next scheduled run is an hour or a day away: only Start Sync can start one.
      const nextRunAt = new Date(Date.now() + (schedule === 'daily' ? 24 : 1) * 3_600_000)
      await database.db
        .insertInto('crm_sync_state')
        .values({ connection_id: connectionId, next_run_at: nextRunAt })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ next_run_at: nextRunAt }))
        .execute()
      if (dataDir) await database.close()

      await emulator.control.addFault({ match: '/query', kind: 'slow', delayMs: 150 })
      const pages = () => emulator.org.requestLog.filter((r) => r.path.includes('/query') && r.status < 300)
      await runChildAndKill(
        storage,
        connectionId,
        () => expect(pages().length).toBeGreaterThanOrEqual(4),
        dataDir ? 'direct' : 'worker',
      )
      await emulator.control.clearFaults()

      // Restart: a new process opens the storage and its sync runtime (pg-boss on PostgreSQL).
      const restartedAt = Date.now()
      if (dataDir) database = await storage.open()
      const deps = storage.deps(database)
      const dead = await database.db
        .selectFrom('crm_sync_runs')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(isWorkerGone(dead.worker)).toBe(true)
      if (!dataDir) expect(dead.job_id).toBeTruthy()
      const runtime = await createSyncRuntime(deps, {})
      try {
        const answer = await startSync(deps, runtime.dispatcher, adminId, 'manual')
        // Never the dead run: a new run (in-process), or queued behind nothing (pg-boss).
        expect(answer.alreadyRunning).toBe(false)
        expect(answer.run?.id ?? null).not.toBe(dead.id)
        const newRun = await waitFor(async () => {
          const run = await database.db
            .selectFrom('crm_sync_runs')
            .selectAll()
            .where('id', '>', dead.id)
            .executeTakeFirst()
          expect(run).toBeDefined()
          return run
        })
        const secondsToNewRun = (Date.now() - restartedAt) / 1000
        expect(secondsToNewRun).toBeLessThan(20)
        console.info(
          `[dead-runs] ${dataDir ? 'PGlite' : 'PostgreSQL + pg-boss'} (${schedule}): restart to new run ${secondsToNewRun.toFixed(1)} s`,
        )
        const ended = await database.db
          .selectFrom('crm_sync_runs')
          .selectAll()
          .where('id', '=', dead.id)
          .executeTakeFirstOrThrow()
        expect(ended).toMatchObject({ status: 'failed', error_code: 'WORKER_STOPPED' })
        expect(ended.error_message).toMatch(/^Interrupted: /)

        const finished = await waitFor(async () => {
          const run = await database.db
            .selectFrom('crm_sync_runs')
            .selectAll()
            .where('id', '=', newRun?.id ?? 0)
            .executeTakeFirstOrThrow()
          expect(run.status).not.toBe('running')
          return run
        })
        expect(finished.status).toBe('succeeded')
        const cached = await database.db
          .selectFrom('crm_opportunities')
          .select('id')
          .where('is_deleted', '=', false)
          .orderBy('id')
          .execute()
        expect(cached.map((r) => r.id)).toEqual(orgLiveIds(emulator))
      } finally {
        await runtime.stop()
        await database.close()
      }
    })
  },
)
