// The embedded master key is not kept beside the data: with secrets saved (and superseded) in a real PGlite
// folder, no file in DATA_DIR holds a secret's plaintext or the key, so a copy of the data folder alone (a
// backup, a handed-over disk) decrypts nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { findConnection } from '../crm/connection/connection.repository.js'
import { saveConnectionSettings } from '../crm/connection/connection.service.js'
import { openSecrets } from '../crm/connection/secret-binding.js'
import { assembleDeps } from '../deps.js'
import { createLogger } from '../logger.js'
import { migrateToLatest } from '../storage/migrate.js'
import { openDatabase } from '../storage/open-database.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../testing/emulator-fixture.js'
import { testConfig } from '../testing/test-app.js'
import { insertUser } from '../users/users.repository.js'
import { loadMasterKey } from './secret-box.js'

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('the master key kept apart from the data folder', () => {
  let emulator: RunningEmulator
  let dir: string
  beforeAll(async () => {
    emulator = await startTestEmulator()
    dir = mkdtempSync(join(tmpdir(), 'crm-apart-'))
  })
  afterAll(async () => {
    await emulator?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('leaves no secret plaintext and no key in any file of DATA_DIR, superseded secrets included', async () => {
    const dataDir = join(dir, 'data')
    const config = testConfig({ DATA_DIR: dataDir })
    expect(relative(dataDir, config.crm.keyFile).startsWith('..')).toBe(true)
    const database = await openDatabase(config.storage)
    const secrets: string[] = []
    try {
      await migrateToLatest(database.db)
      const deps = assembleDeps({ config, db: database.db, log: createLogger(config.log) })
      const admin = await insertUser(database.db, {
        name: 'Admin',
        email: 'admin@example.com',
        role: 'admin',
        password_hash: null,
        created_at: new Date(),
        updated_at: new Date(),
      })
      // Two saves: the first access token is superseded by the second (still in the WAL until rewritten).
      for (let save = 0; save < 2; save += 1) {
        const result = await saveConnectionSettings(deps, admin.id, passwordSettings(emulator))
        expect(result.saved).toBe(true)
        const stored = openSecrets(deps, (await findConnection(database.db))!)
        secrets.push(stored.accessToken!)
      }
      const c = emulator.credentials
      secrets.push(c.password, c.securityToken, c.consumerSecret)
    } finally {
      await database.close()
    }
    const key = loadMasterKey(config)
    const needles = [
      ...secrets.map((secret) => Buffer.from(secret)),
      Buffer.from(key.toString('base64')),
      key,
    ]
    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(10)
    const found = files.flatMap((file) => {
      const bytes = readFileSync(file)
      return needles.filter((needle) => bytes.includes(needle)).map(() => relative(dataDir, file))
    })
    expect(found).toEqual([])
    // The check can fail: the key file itself holds the key.
    expect(readFileSync(config.crm.keyFile).includes(Buffer.from(key.toString('base64')))).toBe(true)
  })
})
