import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { testConfig } from '../testing/test-app.js'
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

  it('opens a value only in the context it was sealed for', () => {
    const box = createSecretBox(randomBytes(32))
    const sealed = box.seal('client-secret', 'oidc|https://idp.example.com|crm')
    expect(box.open(sealed, 'oidc|https://idp.example.com|crm')).toBe('client-secret')
    expect(() => box.open(sealed, 'oidc|https://evil.example.com|crm')).toThrow(/integrity check/)
    expect(() => box.open(sealed)).toThrow(/integrity check/)
    expect(() => box.open(box.seal('plain'), 'some context')).toThrow(/integrity check/)
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
