// A sync in its own process, so a test can kill -9 it mid-run. Usage:
//   node --import tsx server/testing/sync-child.ts <DATA_DIR or postgres URL> <connection id>
// The master key and allowed hosts come from CRM_ENCRYPTION_KEY and CRM_ALLOWED_HOSTS in its environment.
import pino from 'pino'

import { loadConfig } from '../config.js'
import { runSync } from '../crm/sync/sync-run.js'
import { assembleDeps } from '../deps.js'
import { openDatabase } from '../storage/open-database.js'

const [target = '', connectionId = ''] = process.argv.slice(2)
const config = loadConfig({
  ...process.env,
  ...(target.startsWith('postgres') ? { DATABASE_URL: target } : { DATA_DIR: target }),
})
const database = await openDatabase(config.storage)
const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
const result = await runSync(deps, connectionId, 'initial', {
  // Small pages either way, so a kill lands between commits (REST or Bulk, as the connection's threshold picks).
  tuning: { batchSize: 200, bulkMaxRecords: 200, sleep: async () => undefined },
})
console.log(JSON.stringify(result))
await database.close()
