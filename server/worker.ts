// `npm run worker`: an extra process that takes sync jobs from pg-boss and competes for the change streams
// (real-time updates), so a stream outlives the server process that held it. It needs PostgreSQL
// (DATABASE_URL); in embedded mode the server process runs every sync and stream itself.
import { ConfigError, loadConfig } from './config.js'
import { startRealtimeUpdates } from './crm/cdc/realtime-updates.js'
import { recoverDeadRuns, startDeadRunRecovery } from './crm/sync/dead-runs.js'
import { createPgBossDispatcher } from './crm/sync/sync-dispatch.js'
import { bindLegacyConnectionSecrets } from './crm/connection/key-rotation.js'
import { assembleDeps } from './deps.js'
import { createLogger } from './logger.js'
import { applyHeapPolicy } from './heap-policy.js'
import { migrateToLatest } from './storage/migrate.js'
import { openPostgres } from './storage/open-database.js'

async function main(): Promise<void> {
  const config = loadConfig()
  applyHeapPolicy(config.heapGrowthPercent)
  const log = createLogger(config.log)
  if (config.storage.kind !== 'postgres') {
    throw new ConfigError(
      'A sync worker needs PostgreSQL: set DATABASE_URL. With the embedded database (PGlite) the server process runs every sync itself.',
    )
  }
  const database = openPostgres(config.storage.url, 4)
  await migrateToLatest(database.db)
  const deps = assembleDeps({ config, db: database.db, log })
  const bound = await bindLegacyConnectionSecrets(database.db, deps.secrets)
  if (bound > 0)
    log.info({ bound }, 'CRM connection secrets bound to their Web Services URL and Consumer Key')
  const dispatcher = await createPgBossDispatcher(deps, config.storage.url, {})
  // A worker may be the only process left after a crash: it ends dead runs at start-up and on its own timer too,
  // so their pg-boss jobs do not hold the connection's queue slot until pg-boss's 15-minute expiry.
  await recoverDeadRuns(deps, dispatcher)
  const stopRecovery = startDeadRunRecovery(deps, dispatcher)
  await dispatcher.work()
  const cdc = startRealtimeUpdates(deps, dispatcher)
  log.info('sync worker ready: waiting for sync jobs and change streams')

  const stop = async (signal: string) => {
    log.info({ signal }, 'sync worker stopping')
    stopRecovery()
    await cdc.stop()
    await dispatcher.stop()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err)
  process.exit(1)
})
