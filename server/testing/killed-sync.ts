// The setup the kill -9 tests share: storage a child process can open too (the suite's PostgreSQL database, or a
// data folder on disk, since an in-memory PGlite cannot be shared), a saved connection to the emulator, and a
// sync child process (sync-child.ts) killed with SIGKILL once the emulator has served enough pages.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import pino from 'pino'
import { expect } from 'vitest'

import { loadConfig, type Config } from '../config.js'
import { saveConnectionSettings } from '../crm/connection/connection.service.js'
import { assembleDeps, type AppDeps } from '../deps.js'
import { migrateToLatest } from '../storage/migrate.js'
import { openDatabase, type OpenDatabase } from '../storage/open-database.js'
import { passwordSettings, type RunningEmulator } from './emulator-fixture.js'
import { createTestDatabase } from './test-database.js'
import { CHILD_PROCESS_WAIT_MS, waitFor } from './timing.js'

export interface KilledSyncStorage {
  /** What sync-child.ts is given: the PostgreSQL URL or the data folder. */
  target: string
  /** Set on PGlite: the folder, which one process at a time may open (close before starting the child). */
  dataDir: string | undefined
  config: Config
  key: string
  open(): Promise<OpenDatabase>
  deps(database: OpenDatabase): AppDeps
  close(): Promise<void>
}

/** PostgreSQL with pg-boss when the suite runs on it; otherwise an embedded data folder. */
export async function killedSyncStorage(folderPrefix: string): Promise<KilledSyncStorage> {
  const key = randomBytes(32).toString('base64')
  let target: string
  let dataDir: string | undefined
  let drop: (() => Promise<void>) | undefined
  const postgres = await createTestDatabase()
  if (postgres.url) {
    target = postgres.url
    drop = () => postgres.close()
  } else {
    await postgres.close()
    dataDir = mkdtempSync(join(tmpdir(), folderPrefix))
    target = dataDir
  }
  const config = loadConfig({
    ...(dataDir ? { DATA_DIR: target } : { DATABASE_URL: target }),
    CRM_ENCRYPTION_KEY: key,
    CRM_ALLOWED_HOSTS: '127.0.0.1:*',
    LOG_LEVEL: 'silent',
  })
  return {
    target,
    dataDir,
    config,
    key,
    open: async () => {
      const database = await openDatabase(config.storage)
      await migrateToLatest(database.db)
      return database
    },
    deps: (database) => assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) }),
    close: async () => {
      await drop?.()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** An admin and a connection saved through Setup; returns both ids. */
export async function saveEmulatorConnection(
  deps: AppDeps,
  emulator: RunningEmulator,
): Promise<{ adminId: string; connectionId: string }> {
  const admin = await deps.db
    .insertInto('users')
    .values({ name: 'A', email: 'a@example.com', role: 'admin' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const saved = await saveConnectionSettings(deps, admin.id, passwordSettings(emulator))
  return { adminId: admin.id, connectionId: saved.connection?.id ?? '' }
}

/**
 * Starts sync-child.ts on the storage (`worker`: through pg-boss, as the server does), waits until `ready()`
 * (typically "the emulator served N pages"), then kills it with SIGKILL and waits for it to be gone.
 */
export async function runChildAndKill(
  storage: KilledSyncStorage,
  connectionId: string,
  ready: () => void,
  mode: 'direct' | 'worker' = 'direct',
): Promise<void> {
  const args = ['--import', 'tsx', 'server/testing/sync-child.ts', storage.target, connectionId]
  const child = spawn(process.execPath, mode === 'worker' ? [...args, 'worker'] : args, {
    env: { ...process.env, CRM_ENCRYPTION_KEY: storage.key, CRM_ALLOWED_HOSTS: '127.0.0.1:*' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    await waitFor(() => {
      // The child's stderr says why, if it died before reaching the point.
      expect(child.exitCode, stderr).toBeNull()
      ready()
    }, CHILD_PROCESS_WAIT_MS)
  } finally {
    child.kill('SIGKILL')
    await exited
  }
}

/** The org's live (not deleted) opportunity ids, sorted, to compare with the cache's. */
export function orgLiveIds(emulator: RunningEmulator): string[] {
  return [...emulator.org.records.allRecords('Opportunity')]
    .filter((r) => r['IsDeleted'] !== true)
    .map((r) => String(r['Id']))
    .sort()
}
