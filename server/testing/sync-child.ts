// A sync in its own process, so a test can kill -9 it mid-run. Usage:
//   node --import tsx server/testing/sync-child.ts <DATA_DIR or postgres URL> <connection id> [worker]
// With `worker` (PostgreSQL), it queues the run in pg-boss and works the queue, as the server does.
// The master key and allowed hosts come from CRM_ENCRYPTION_KEY and CRM_ALLOWED_HOSTS in its environment.
import pino from 'pino'

import { loadConfig } from '../config.js'
import { createPgBossDispatcher } from '../crm/sync/sync-dispatch.js'
import { runSync } from '../crm/sync/sync-run.js'
import { assembleDeps } from '../deps.js'
import { openDatabase } from '../storage/open-database.js'

const [target = '', connectionId = '', mode = 'direct'] = process.argv.slice(2)
const config = loadConfig({
  ...process.env,
  ...(target.startsWith('postgres') ? { DATABASE_URL: target } : { DATA_DIR: target }),
})
const database = await openDatabase(config.storage)
const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
// Small pages either way, so a kill lands between commits (REST or Bulk, as the connection's threshold picks).
const tuning = { batchSize: 200, bulkMaxRecords: 200, sleep: async () => undefined }
if (mode === 'worker') {
  const boss = await createPgBossDispatcher(deps, target, {}, tuning)
  await boss.dispatch(connectionId, 'initial')
  await boss.work()
} else {
  const result = await runSync(deps, connectionId, 'initial', { tuning })
  console.log(JSON.stringify(result))
  await database.close()
}
