// A second server process on the same PostgreSQL database, for the live events' two-process test. Usage:
//   node --import tsx server/testing/live-child.ts <postgres URL>
// Prints `listening <url>` once it serves; stops on SIGTERM.
import pino from 'pino'

import { buildApp } from '../app.js'
import { followChanges } from '../cache/read-cache.js'
import { loadConfig } from '../config.js'
import { createInProcessDispatcher } from '../crm/sync/sync-dispatch.js'
import { assembleDeps } from '../deps.js'
import { openDatabase } from '../storage/open-database.js'

const [url = ''] = process.argv.slice(2)
const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: url,
  PORT: '0',
  LOG_LEVEL: 'silent',
  LIVE_HEARTBEAT_SECONDS: '1',
  CRM_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
})
const database = await openDatabase(config.storage)
const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'silent' }) })
const dispatcher = createInProcessDispatcher(deps, {})
const { app, live } = await buildApp(deps, { syncDispatcher: dispatcher, liveDb: database.liveDb })
const changeFeed = await followChanges(deps.readCache, database, [live])
const address = await app.listen({ host: '127.0.0.1', port: 0 })
console.log(`listening ${address}`)
process.on('SIGTERM', () => {
  void (async () => {
    await app.close()
    await dispatcher.stop()
    await changeFeed.close()
    await database.close()
    process.exit(0)
  })()
})
