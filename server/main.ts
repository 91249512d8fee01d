// The composition root: config → logger → database → migrations → HTTP server, and a graceful stop.
import { buildApp } from './app.js'
import { prepareFirstRunSetup } from './auth/first-run.service.js'
import { deleteExpiredSessions } from './auth/sessions.repository.js'
import { ConfigError, loadConfig } from './config.js'
import { startFeedJobs } from './crm/mail/mail-jobs.js'
import { createMailer } from './crm/mail/mailer.js'
import { startRealtimeUpdates } from './crm/cdc/realtime-updates.js'
import { failInterruptedRuns } from './crm/sync/sync-runs.repository.js'
import { createSyncRuntime } from './crm/sync/sync-runtime.js'
import { followChanges } from './cache/read-cache.js'
import { bindLegacyConnectionSecrets } from './crm/connection/key-rotation.js'
import { startLinkRevocationJobs } from './crm/connection/link-revocation.js'
import { assembleDeps, systemClock } from './deps.js'
import { createJobQueue } from './jobs/job-queue.js'
import { createLogger } from './logger.js'
import { applyHeapPolicy } from './heap-policy.js'
import { DataDirLockedError } from './storage/data-dir-lock.js'
import { migrateToLatest } from './storage/migrate.js'
import { openDatabase } from './storage/open-database.js'

async function main(): Promise<void> {
  const startedAt = performance.now()
  const config = loadConfig()
  applyHeapPolicy(config.heapGrowthPercent)
  const log = createLogger(config.log)
  const database = await openDatabase(config.storage, (err) =>
    log.warn({ err }, 'PostgreSQL closed an idle connection'),
  )
  const { applied } = await migrateToLatest(database.db)
  if (applied.length > 0) log.info({ applied }, 'database migrated')

  const jobs = createJobQueue(
    config.storage.kind === 'postgres' ? { url: config.storage.url } : { executor: database.jobExecutor },
    { log },
  )
  const deps = assembleDeps({ config, db: database.db, log, jobs })
  await jobs.start()
  const mailer = createMailer(config.mail)
  await startFeedJobs(deps, jobs, mailer)
  await startLinkRevocationJobs(deps, jobs)
  const bound = await bindLegacyConnectionSecrets(database.db, deps.secrets)
  if (bound > 0)
    log.info({ bound }, 'CRM connection secrets bound to their Web Services URL and Consumer Key')
  if (database.kind === 'pglite') {
    const interrupted = await failInterruptedRuns(database.db, systemClock.now())
    if (interrupted > 0)
      log.warn(
        { interrupted },
        'a sync was cut off when the server last stopped; the next run resumes from its checkpoint',
      )
  }
  const sync = await createSyncRuntime(deps, {})
  const { app, live } = await buildApp(deps, {
    syncDispatcher: sync.dispatcher,
    liveDb: database.liveDb,
  })
  const changeFeed = await followChanges(deps.readCache, database, [live])
  const setupUrl = await prepareFirstRunSetup(deps)
  await app.listen({ host: config.http.host, port: config.http.port })

  const readyMs = Math.round(performance.now() - startedAt)
  log.info(
    { url: config.http.publicUrl, database: database.kind, readyMs },
    `CRM module ready at ${config.http.publicUrl}`,
  )
  if (setupUrl) {
    log.warn(
      { setupUrl },
      `First run: no admin exists yet. Open ${setupUrl} to create the network admin. The link works once; restarting the server prints a new one.`,
    )
  }

  sync.scheduler.start()
  // Real-time updates: one change-stream subscriber per connection across all server and worker processes.
  const cdc = startRealtimeUpdates(deps, sync.dispatcher)

  const sweep = setInterval(() => {
    const now = systemClock.now()
    const idleCutoff = new Date(now.getTime() - config.sessions.idleMinutes * 60_000)
    deleteExpiredSessions(database.db, now, idleCutoff).catch((err: unknown) =>
      log.warn({ err }, 'session sweep failed'),
    )
  }, 3_600_000)
  sweep.unref()

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down: finishing open requests')
    clearInterval(sweep)
    const forceExit = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting anyway')
      process.exit(1)
    }, 10_000)
    forceExit.unref()
    try {
      await app.close()
      await cdc.stop()
      await sync.stop()
      await jobs.stop()
      mailer?.close()
      await changeFeed.close()
      await database.close()
      log.info('stopped cleanly')
      process.exit(0)
    } catch (err) {
      log.error({ err }, 'error while shutting down')
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message)
  } else {
    console.error('The CRM module could not start:', err)
  }
  process.exit(1)
})
