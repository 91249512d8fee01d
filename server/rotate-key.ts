// `npm run crm:rotate-key`: re-encrypts every stored secret (Salesforce, identity provider) under a new master key.
// Key file (embedded mode): a new key is generated, written beside the old one as crm-master.key.next, the
// database is re-encrypted, then the new file replaces the old. With CRM_ENCRYPTION_KEY: pass the new key as
// CRM_NEW_ENCRYPTION_KEY, then swap the variables on every process.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync } from 'node:fs'

import { ConfigError, loadConfig } from './config.js'
import { reencryptSecrets } from './crm/connection/key-rotation.js'
import { loadMasterKey, writeKeyFile } from './secrets/secret-box.js'
import { migrateToLatest } from './storage/migrate.js'
import { openDatabase } from './storage/open-database.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const database = await openDatabase(config.storage)
  try {
    await migrateToLatest(database.db)
    const oldKey = loadMasterKey(config)
    if (config.crm.encryptionKey) {
      const fresh = config.crm.newEncryptionKey
      if (!fresh)
        throw new ConfigError('Set CRM_NEW_ENCRYPTION_KEY to the new key (openssl rand -base64 32).')
      const report = await reencryptSecrets(database.db, oldKey, fresh)
      console.log(
        `Re-encrypted ${report.connections} connection(s), ${report.userLinks} linked Salesforce account(s) and ${report.identitySecrets} identity secret(s) from key ${report.oldKeyId} to ${report.newKeyId}.`,
      )
      console.log('Now set CRM_ENCRYPTION_KEY to the new key on every server and worker, and restart them.')
      return
    }
    const nextPath = `${config.crm.keyFile}.next`
    // A rotation interrupted after writing the next key resumes with that same key.
    const newKey = existsSync(nextPath)
      ? Buffer.from(readFileSync(nextPath, 'utf8').trim(), 'base64')
      : randomBytes(32)
    writeKeyFile(nextPath, newKey)
    const report = await reencryptSecrets(database.db, oldKey, newKey)
    renameSync(nextPath, config.crm.keyFile)
    console.log(
      `Re-encrypted ${report.connections} connection(s), ${report.userLinks} linked Salesforce account(s) and ${report.identitySecrets} identity secret(s) from key ${report.oldKeyId} to ${report.newKeyId}; ${config.crm.keyFile} replaced.`,
    )
  } finally {
    await database.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
