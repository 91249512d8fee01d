import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { testConfig } from '../testing/test-app.js'
import { createSecretBox, loadMasterKey, writeKeyFile } from './secret-box.js'

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

  it('opens a value only in the context it was sealed for', () => {
    const box = createSecretBox(randomBytes(32))
    const sealed = box.seal('client-secret', 'oidc|https://idp.example.com|crm')
    expect(box.open(sealed, 'oidc|https://idp.example.com|crm')).toBe('client-secret')
    expect(() => box.open(sealed, 'oidc|https://evil.example.com|crm')).toThrow(/integrity check/)
    expect(() => box.open(sealed)).toThrow(/integrity check/)
    expect(() => box.open(box.seal('plain'), 'some context')).toThrow(/integrity check/)
  })

  it('creates the embedded key file on first run outside the data folder, readable only by its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-key-'))
    try {
      const config = testConfig({ DATA_DIR: join(dir, 'data') })
      const key = loadMasterKey(config)
      expect(key.length).toBe(32)
      expect(config.crm.keyFile).toBe(join(dir, 'data-keys', 'crm-master.key'))
      expect(statSync(config.crm.keyFile).mode & 0o777).toBe(0o600)
      expect(statSync(dirname(config.crm.keyFile)).mode & 0o777).toBe(0o700)
      expect(loadMasterKey(config).equals(key)).toBe(true)
      expect(() => testConfig({ DATA_DIR: join(dir, 'data'), CRM_KEY_FILE: join(dir, 'data', 'k') })).toThrow(
        /inside DATA_DIR/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('moves a key file an earlier version kept in the data folder, safely if cut off, never choosing between two keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-key-'))
    try {
      const config = testConfig({
        DATA_DIR: join(dir, 'data'),
        CRM_KEY_FILE: join(dir, 'keys', 'master.key'),
      })
      const legacy = randomBytes(32)
      writeKeyFile(config.crm.legacyKeyFile, legacy)
      expect(loadMasterKey(config).equals(legacy)).toBe(true)
      expect(existsSync(config.crm.legacyKeyFile)).toBe(false)
      expect(readFileSync(config.crm.keyFile, 'utf8').trim()).toBe(legacy.toString('base64'))

      // Cut off after the copy, before the old file was removed: the next start finishes the move.
      writeKeyFile(config.crm.legacyKeyFile, legacy)
      expect(loadMasterKey(config).equals(legacy)).toBe(true)
      expect(existsSync(config.crm.legacyKeyFile)).toBe(false)

      // Two different keys: nothing is removed, the admin decides.
      writeKeyFile(config.crm.legacyKeyFile, randomBytes(32))
      expect(() => loadMasterKey(config)).toThrow(/Two different master keys/)
      expect(existsSync(config.crm.legacyKeyFile)).toBe(true)
      expect(readFileSync(config.crm.keyFile, 'utf8').trim()).toBe(legacy.toString('base64'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
