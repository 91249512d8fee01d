// bench:portal's during-sync phase. The server side (in the bench server process): on the parent's message it
// points the workspace's connection at an emulator through the real Setup path and starts a full sync the way
// Synchronize does (the server's own dispatcher, so the sync shares the server's process and pool, as in a
// deployment), then reports the run's progress. The parent measures the member's list meanwhile.
import type { ChildProcess } from 'node:child_process'
import { monitorEventLoopDelay } from 'node:perf_hooks'

import type { AppDeps } from '../server/deps.js'
import { saveConnectionSettings } from '../server/crm/connection/connection.service.js'
import type { SyncDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js'
import { emulatorSetupForm } from './emulator-setup-form.js'

export interface SyncRequest {
  type: 'sync'
  url: string
  credentials: EmulatorProcess['credentials']
}

export interface SyncProgress {
  type: 'sync-progress'
  status: string
  fetched: number
  total: number | null
  seconds: number
  /** The server's event-loop delay since the sync's first committed page. */
  eventLoopP99Ms: number
  eventLoopMaxMs: number
}

export function serveSyncRequests(deps: AppDeps, dispatcher: SyncDispatcher): void {
  process.on('message', (message: SyncRequest) => {
    if (message.type !== 'sync') return
    void runRequestedSync(deps, dispatcher, message).catch((err: unknown) => {
      console.error('[bench server] the sync could not start', err)
      process.exit(1)
    })
  })
}

async function runRequestedSync(deps: AppDeps, dispatcher: SyncDispatcher, request: SyncRequest) {
  const admin = await deps.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'admin@bench.example')
    .executeTakeFirstOrThrow()
  const saved = await saveConnectionSettings(
    deps,
    admin.id,
    emulatorSetupForm(request.url, request.credentials),
  )
  if (!saved.connection) throw new Error(`Setup refused the emulator: ${JSON.stringify(saved.report)}`)
  const started = performance.now()
  // Where a read may wait besides the database: the event loop this process shares with the sync.
  const loop = monitorEventLoopDelay({ resolution: 10 })
  await dispatcher.dispatch(saved.connection.id, 'initial')
  let writing = false
  const timer = setInterval(() => {
    deps.db
      .selectFrom('crm_sync_runs')
      .select(['status', 'records_fetched', 'records_total'])
      .orderBy('id', 'desc')
      .executeTakeFirst()
      .then((run) => {
        if (!writing && run && run.records_fetched > 0) {
          writing = true
          loop.enable()
        }
        const progress: SyncProgress = {
          type: 'sync-progress',
          status: run?.status ?? 'starting',
          fetched: run?.records_fetched ?? 0,
          total: run?.records_total ?? null,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          eventLoopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
          eventLoopMaxMs: Math.round(loop.max / 1e5) / 10,
        }
        process.send?.(progress)
        if (run && run.status !== 'running') clearInterval(timer)
      })
      // The server may be closing (the parent is done): nothing more to report.
      .catch(() => clearInterval(timer))
  }, 250)
  timer.unref()
}

/** Parent side: resolves with the first progress report that `done` accepts. */
export function waitForSync(child: ChildProcess, done: (p: SyncProgress) => boolean): Promise<SyncProgress> {
  return new Promise((resolve) => {
    const listener = (message: SyncProgress) => {
      if (message.type !== 'sync-progress' || !done(message)) return
      child.off('message', listener)
      resolve(message)
    }
    child.on('message', listener)
  })
}

type Load = (
  name: string,
  until?: () => boolean,
) => Promise<{ p50: number; p95: number; rps: number; errors: number }>

/**
 * The member's list measured quiet, then while a full sync of `count` emulated records writes into the same
 * database (from its first committed page until every record is fetched: the writing part of the run), in the
 * same run, and the ratio of the two p95s (issue 20 item 7: within 2x).
 */
export async function measureDuringSync(child: ChildProcess, load: Load, count: number) {
  const emulator = await startEmulatorProcess(count)
  try {
    await emulator.control.settings({ dailyApiRequests: 50_000_000 })
    const quiet = await load('member list, quiet (before the sync)')
    const request: SyncRequest = { type: 'sync', url: emulator.url, credentials: emulator.credentials }
    const writing = waitForSync(child, (p) => p.fetched > 0 || p.status !== 'running')
    child.send(request)
    const first = await writing
    let last = first
    let fetchedAll = first.status !== 'running'
    const fetched = waitForSync(child, (p) => {
      last = p
      return p.status !== 'running' || (p.total !== null && p.fetched >= p.total)
    }).then(() => (fetchedAll = true))
    const during = await load('member list, during the sync', () => fetchedAll)
    await fetched
    console.log(
      `sync: ${last.fetched} of ${last.total ?? '?'} fetched at ${last.seconds} s (${last.status}); ` +
        `first page at ${first.seconds} s`,
    )
    return {
      syncRecords: count,
      syncStatus: last.status,
      syncFetched: last.fetched,
      syncFetchSeconds: Math.round((last.seconds - first.seconds) * 10) / 10,
      quietP50Ms: quiet.p50,
      quietP95Ms: quiet.p95,
      quietRps: quiet.rps,
      duringP50Ms: during.p50,
      duringP95Ms: during.p95,
      duringRps: during.rps,
      p95Ratio: Math.round((during.p95 / quiet.p95) * 100) / 100,
      serverEventLoopP99Ms: last.eventLoopP99Ms,
      serverEventLoopMaxMs: last.eventLoopMaxMs,
      errors: quiet.errors + during.errors,
    }
  } finally {
    emulator.close()
  }
}
