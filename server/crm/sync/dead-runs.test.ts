// A sync process killed with SIGKILL mid-run does not block the next one: after a restart, Start Sync ends the
// dead run ("interrupted"), frees its pg-boss job (PostgreSQL) and starts a new run within seconds, whatever the
// schedule says, and that run resumes and makes the cache equal to the org.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadConfig, type Config } from '../../config.js'
import { assembleDeps } from '../../deps.js'
import { migrateToLatest } from '../../storage/migrate.js'
import { openDatabase, type OpenDatabase } from '../../storage/open-database.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { createTestDatabase } from '../../testing/test-database.js'
import { CHILD_PROCESS_WAIT_MS, SLOW_TEST, waitFor } from '../../testing/timing.js'
import { saveConnectionSettings } from '../connection/connection.service.js'
import { isWorkerGone } from './dead-runs.js'
import { createSyncRuntime } from './sync-runtime.js'
import { startSync } from './sync.service.js'

const KEY = randomBytes(32).toString('base64')
const OPPORTUNITIES = 2000

describe.each([{ schedule: 'hourly' }, { schedule: 'daily' }] as const)(
  'a sync killed with -9, then a restart ($schedule schedule)',
  ({ schedule }) => {
    let emulator: RunningEmulator
    let target: string
    let dataDir: string | undefined
    let dropDatabase: (() => Promise<void>) | undefined
    let config: Config

    beforeAll(async () => {
      emulator = await startTestEmulator({ opportunities: OPPORTUNITIES, seed: 23 })
      // PostgreSQL with pg-boss when the suite runs on it; otherwise an embedded data folder.
      const postgres = await createTestDatabase()
      if (postgres.url) {
        target = postgres.url
        dropDatabase = () => postgres.close()
      } else {
        await postgres.close()
        dataDir = mkdtempSync(join(tmpdir(), 'crm-dead-run-'))
        target = dataDir
      }
      config = loadConfig({
        ...(target.startsWith('postgres') ? { DATABASE_URL: target } : { DATA_DIR: target }),
        CRM_ENCRYPTION_KEY: KEY,
        CRM_ALLOWED_HOSTS: '127.0.0.1:*',
        LOG_LEVEL: 'silent',
      })
    })
    afterAll(async () => {
      await emulator.close()
      await dropDatabase?.()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    })

    async function open(): Promise<OpenDatabase> {
      const database = await openDatabase(config.storage)
      await migrateToLatest(database.db)
      return database
    }

    it('starts a new run within seconds of Start Sync and ends with cache = org', SLOW_TEST, async () => {
      let database = await open()
      let deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
      const admin = await database.db
        .insertInto('users')
        .values({ name: 'A', email: 'a@example.com', role: 'admin' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const saved = await saveConnectionSettings(deps, admin.id, passwordSettings(emulator))
      const connectionId = saved.connection?.id ?? ''
      // The next scheduled run is an hour or a day away: only Start Sync can start one.
      const nextRunAt = new Date(Date.now() + (schedule === 'daily' ? 24 : 1) * 3_600_000)
      await database.db
        .insertInto('crm_sync_state')
        .values({ connection_id: connectionId, next_run_at: nextRunAt })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ next_run_at: nextRunAt }))
        .execute()
      if (dataDir) await database.close()

      await emulator.control.addFault({ match: '/query', kind: 'slow', delayMs: 150 })
      const args = ['--import', 'tsx', 'server/testing/sync-child.ts', target, connectionId]
      const child = spawn(process.execPath, dataDir ? args : [...args, 'worker'], {
        env: { ...process.env, CRM_ENCRYPTION_KEY: KEY, CRM_ALLOWED_HOSTS: '127.0.0.1:*' },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const exited = new Promise((resolve) => child.once('exit', resolve))
      const pages = () => emulator.org.requestLog.filter((r) => r.path.includes('/query') && r.status < 300)
      await waitFor(() => expect(pages().length, stderr).toBeGreaterThanOrEqual(4), CHILD_PROCESS_WAIT_MS)
      child.kill('SIGKILL')
      await exited
      await emulator.control.clearFaults()

      // Restart: a new process opens the storage and its sync runtime (pg-boss on PostgreSQL).
      const restartedAt = Date.now()
      if (dataDir) database = await open()
      deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
      const dead = await database.db
        .selectFrom('crm_sync_runs')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(isWorkerGone(dead.worker)).toBe(true)
      if (!dataDir) expect(dead.job_id).toBeTruthy()
      const runtime = await createSyncRuntime(deps, {})
      try {
        const answer = await startSync(deps, runtime.dispatcher, admin.id, 'manual')
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
        const expected = [...emulator.org.records.allRecords('Opportunity')]
          .filter((r) => r['IsDeleted'] !== true)
          .map((r) => String(r['Id']))
          .sort()
        expect(cached.map((r) => r.id)).toEqual(expected)
      } finally {
        await runtime.stop()
        await database.close()
      }
    })
  },
)
