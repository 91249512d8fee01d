// A sync process killed with SIGKILL mid-run leaves a consistent cache, and the next run resumes from the
// last committed page instead of starting over.
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
import { failInterruptedRuns } from './sync-runs.repository.js'
import { runSync } from './sync-run.js'

const KEY = randomBytes(32).toString('base64')
const OPPORTUNITIES = 3000

// REST pages carry their checkpoint record; a Bulk run keeps its job and locator (migration 0130).
const methods = [
  { method: 'rest', threshold: 50_000, pagePath: '/query/' },
  { method: 'bulk', threshold: 0, pagePath: '/results' },
] as const

describe.each(methods)('a $method sync killed mid-run', ({ method, threshold, pagePath }) => {
  let emulator: RunningEmulator
  let target: string
  let dataDir: string | undefined
  let dropDatabase: (() => Promise<void>) | undefined
  let config: Config

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: OPPORTUNITIES, seed: 21 })
    // PostgreSQL when the suite runs on it; otherwise an embedded data folder the child process opens.
    const postgres = await createTestDatabase()
    if (postgres.url) {
      target = postgres.url
      dropDatabase = () => postgres.close()
    } else {
      await postgres.close()
      dataDir = mkdtempSync(join(tmpdir(), 'crm-crash-'))
      target = dataDir
    }
    const env = target.startsWith('postgres') ? { DATABASE_URL: target } : { DATA_DIR: target }
    config = loadConfig({
      ...env,
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

  it('keeps a consistent cache and resumes from the checkpoint', SLOW_TEST, async () => {
    let database = await open()
    let deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
    const admin = await database.db
      .insertInto('users')
      .values({ name: 'A', email: 'a@example.com', role: 'admin' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const saved = await saveConnectionSettings(deps, admin.id, passwordSettings(emulator))
    const connectionId = saved.connection?.id ?? ''
    await database.db
      .insertInto('crm_sync_state')
      .values({ connection_id: connectionId, bulk_threshold: threshold })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ bulk_threshold: threshold }))
      .execute()
    if (dataDir) await database.close()

    // Slow pages, so the kill lands in the middle of the run.
    await emulator.control('POST', '/faults', { match: pagePath, kind: 'slow', delayMs: 150 })
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/testing/sync-child.ts', target, connectionId],
      {
        env: { ...process.env, CRM_ENCRYPTION_KEY: KEY, CRM_ALLOWED_HOSTS: '127.0.0.1:*' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const requests = (part: string, verb = 'GET') =>
      emulator.org.requestLog.filter((r) => r.path.includes(part) && r.method === verb && r.status < 300)
    const pagesServed = () => requests(pagePath).length
    // The emulator runs in this process and holds each page 150 ms, so a poll sees the 4th page well before
    // the last one (15 pages), however slowly the child starts.
    await waitFor(() => expect(pagesServed(), stderr).toBeGreaterThanOrEqual(4), CHILD_PROCESS_WAIT_MS)
    child.kill('SIGKILL')
    await exited
    await emulator.control('DELETE', '/faults')

    if (dataDir) database = await open()
    deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
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
    const expected = [...emulator.org.records.allRecords('Opportunity')]
      .filter((r) => r['IsDeleted'] !== true)
      .map((r) => String(r['Id']))
      .sort()
    expect(rows.map((r) => r.id)).toEqual(expected)
    await database.close()
  })
})
