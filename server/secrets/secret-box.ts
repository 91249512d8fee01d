// Secrets at rest: AES-256-GCM (authenticated encryption, NIST SP 800-38D) under a master key that never
// enters the database. Each value carries the id of the key that sealed it, so a wrong or rotated key is
// reported as such instead of as garbage. A value can also be bound to a context (where it was entered and
// whom it is for): the context is authenticated with it, so a sealed value copied to another place, or kept
// after what it belongs to changed, fails to open instead of being used there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'

import type { Config } from '../config.js'

const VERSION = 'v1'
const IV_BYTES = 12

export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError'
}

export interface SecretBox {
  readonly keyId: string
  /** `context` (optional) must be given again, unchanged, to open the value. */
  seal(plaintext: string, context?: string): string
  open(sealed: string, context?: string): string
}

// Additional authenticated data: the key id, so a value cannot be relabelled to another key, and the context.
function additionalData(keyId: string, context: string | undefined): Buffer {
  return Buffer.from(context === undefined ? keyId : `${keyId}\u0000${context}`)
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12)
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretKeyError('The CRM encryption key must be exactly 32 bytes.')
  const keyId = keyIdOf(key)
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(additionalData(keyId, context))
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [
        VERSION,
        keyId,
        iv.toString('base64'),
        tag.toString('base64'),
        ciphertext.toString('base64'),
      ].join('.')
    },
    open(sealed, context) {
      const [version, sealedKeyId, iv, tag, ciphertext] = sealed.split('.')
      if (version !== VERSION || !sealedKeyId || !iv || !tag || ciphertext === undefined) {
        throw new SecretKeyError('A stored secret is not in a format this version understands.')
      }
      if (sealedKeyId !== keyId) {
        throw new SecretKeyError(
          `Stored CRM secrets were encrypted with key ${sealedKeyId}, but the configured key is ${keyId}. ` +
            'Restore the previous CRM_ENCRYPTION_KEY (or the CRM_KEY_FILE key file), or finish the key rotation with `npm run crm:rotate-key`.',
        )
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
      decipher.setAAD(additionalData(keyId, context))
      decipher.setAuthTag(Buffer.from(tag, 'base64'))
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
          'utf8',
        )
      } catch {
        throw new SecretKeyError(
          'A stored secret failed its integrity check: it was altered, moved to another place, or the key is wrong.',
        )
      }
    },
  }
}

/**
 * The master key: CRM_ENCRYPTION_KEY when set; otherwise (embedded mode) a key file outside the data folder
 * (config.crm.keyFile), created on first use with owner-only permissions (0600, its folder 0700). A key file
 * earlier versions kept inside the data folder is moved there first. In-memory test databases get a throwaway key.
 */
export function loadMasterKey(config: Config): Buffer {
  if (config.crm.encryptionKey) return config.crm.encryptionKey
  if (config.storage.dataDir === 'memory://') return randomBytes(32)
  const path = config.crm.keyFile
  moveLegacyKeyFile(config.crm.legacyKeyFile, path)
  if (!existsSync(path)) writeKeyFile(path, randomBytes(32))
  const mode = statSync(path).mode & 0o777
  if (mode & 0o077) chmodSync(path, 0o600)
  return readKeyFile(path)
}

function readKeyFile(path: string): Buffer {
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new SecretKeyError(`The key file ${path} does not hold a 32-byte base64 key.`)
  return key
}

/**
 * DATA_DIR/crm-master.key → the key file outside the data folder. Safe if cut off at any point: the new file
 * is written in full and synced before the old one is removed, and the old one is removed only while both
 * hold the same key; two different keys stop the start with both left in place for the admin to decide.
 */
function moveLegacyKeyFile(legacyPath: string, path: string): void {
  if (!existsSync(legacyPath)) return
  const legacy = readKeyFile(legacyPath)
  if (!existsSync(path)) writeKeyFile(path, legacy)
  if (!readKeyFile(path).equals(legacy)) {
    throw new SecretKeyError(
      `Two different master keys exist: ${legacyPath} (inside the data folder, from an earlier version) and ${path}. ` +
        'Keep the one the stored secrets were sealed with (the error on start names its id), remove the other, and start again.',
    )
  }
  unlinkSync(legacyPath)
  syncFolder(dirname(legacyPath))
}

/** Writes a key file atomically (temp file + fsync + rename) with owner-only permissions, in a 0700 folder. */
export function writeKeyFile(path: string, key: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.tmp-${process.pid}`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, `${key.toString('base64')}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, path)
  syncFolder(dirname(path))
}

// A rename or unlink is durable once the folder itself is synced (fsync(2) on the directory).
function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
