import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { testConfig } from '../../testing/test-app.js'
import { reencryptSecrets } from './key-rotation.js'
import { createSecretBox, loadMasterKey } from './secret-box.js'

describe('secrets at rest', () => {
  it('seals with AES-256-GCM: random IVs, the key id bound, tampering detected', () => {
    const box = createSecretBox(randomBytes(32))
    const first = box.seal('tiger-secret')
    const second = box.seal('tiger-secret')
    expect(first).not.toBe(second)
    expect(first).not.toContain('tiger')
    expect(box.open(first)).toBe('tiger-secret')
    const parts = first.split('.')
    parts[4] = Buffer.from('x'.repeat(12)).toString('base64')
    expect(() => box.open(parts.join('.'))).toThrow(/integrity check/)
    expect(() => createSecretBox(randomBytes(32)).open(first)).toThrow(
      /were encrypted with key .* but the configured key is/,
    )
  })

  it('creates the embedded key file on first run, readable only by its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-key-'))
    try {
      const config = testConfig({ DATA_DIR: dir })
      const key = loadMasterKey(config)
      expect(key.length).toBe(32)
      expect(statSync(config.crm.keyFile).mode & 0o777).toBe(0o600)
      expect(loadMasterKey(config).equals(key)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('key rotation', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.close())

  it('re-encrypts every connection under the new key, and can be run again safely', async () => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    const sealed = createSecretBox(oldKey).seal(JSON.stringify({ consumerSecret: 'cs', password: 'pw' }))
    await database.db
      .insertInto('crm_connections')
      .values({
        provider: 'salesforce',
        auth_method: 'password',
        login_url: 'https://a.my.salesforce.com',
        consumer_key: 'k',
        encrypted_secrets: sealed,
      })
      .execute()
    const report = await reencryptSecrets(database.db, oldKey, newKey)
    expect(report.connections).toBe(1)
    const again = await reencryptSecrets(database.db, oldKey, newKey)
    expect(again.connections).toBe(1)
    const row = await database.db
      .selectFrom('crm_connections')
      .select('encrypted_secrets')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(createSecretBox(newKey).open(row.encrypted_secrets))).toEqual({
      consumerSecret: 'cs',
      password: 'pw',
    })
    expect(() => createSecretBox(oldKey).open(row.encrypted_secrets)).toThrow()
  })
})
