// What the Sync Log's endpoints do, as plain functions: start a run (the dispatcher answers with the run it
// claimed, or nothing when the run is only queued), page the log, read one run, save the settings.
import type { EndpointQuery, EndpointResponse } from '../../../contracts/api/endpoint.js'
import type * as api from '../../../contracts/api/sync.api.js'
import type { SyncSettings } from '../../../contracts/api/sync.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import { findConnection, updateConnectionRow } from '../connection/connection.repository.js'
import { recoverDeadRuns } from './dead-runs.js'
import { eventParts } from './event-parts.js'
import type { SyncDispatcher } from './sync-dispatch.js'
import { toApiRun, toSyncSettings } from './sync-log.js'
import { findRunEvents, listRuns } from './sync-log.repository.js'
import {
  deleteOldRuns,
  ensureSyncState,
  findRun,
  findRunningRun,
  updateSyncState,
} from './sync-runs.repository.js'

/** The most events one run's page shows. */
const RUN_EVENTS_SHOWN = 500

async function requireConnection(deps: AppDeps) {
  const connection = await findConnection(deps.db)
  if (!connection)
    throw new AppError('NOT_FOUND', 'Connect a Salesforce org first (Module Settings > Setup).')
  return connection
}

/** Starts a run unless one is running; the answer shows the run itself, or `queued` for pg-boss workers. */
export async function startSync(
  deps: AppDeps,
  dispatcher: SyncDispatcher,
  actorId: string,
  trigger: 'manual' | 'reconcile',
): Promise<EndpointResponse<typeof api.startSync>> {
  const connection = await requireConnection(deps)
  if (connection.status !== 'healthy') {
    throw new AppError(
      'CONFLICT',
      `The connection ${connection.status === 'disconnected' ? 'is disconnected' : 'needs attention'}: ${connection.status_reason ?? ''} ${connection.status_hint ?? ''}`.trim(),
    )
  }
  // A dead run is ended here, so the answer never points at it and a new run starts at once.
  await recoverDeadRuns(deps, dispatcher, { connectionId: connection.id })
  const running = await findRunningRun(deps.db, connection.id)
  if (running)
    return {
      run: toApiRun(running, deps.clock.now(), deps.config.crm.syncStallMs),
      alreadyRunning: true,
      queued: false,
    }
  await recordAuditEvent(deps.db, {
    actorUserId: actorId,
    action: `crm.sync.${trigger}_requested`,
    targetType: 'crm_connection',
    targetId: connection.id,
  })
  const dispatched = await dispatcher.dispatch(connection.id, trigger)
  if (!dispatched) return { run: null, alreadyRunning: false, queued: true }
  return {
    run: toApiRun(dispatched.run, deps.clock.now(), deps.config.crm.syncStallMs),
    alreadyRunning: dispatched.alreadyRunning,
    queued: false,
  }
}

export async function listSyncRuns(
  deps: AppDeps,
  query: EndpointQuery<typeof api.listSyncRuns>,
): Promise<EndpointResponse<typeof api.listSyncRuns>> {
  const connection = await findConnection(deps.db)
  if (!connection) return { runs: [], nextBefore: null }
  const rows = await listRuns(deps.db, connection.id, query)
  const page = rows.slice(0, query.limit)
  const now = deps.clock.now()
  return {
    runs: page.map((row) => toApiRun(row, now, deps.config.crm.syncStallMs)),
    nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
  }
}

export async function getSyncRun(
  deps: AppDeps,
  id: number,
): Promise<EndpointResponse<typeof api.getSyncRun>> {
  const run = await findRun(deps.db, id)
  if (!run) throw notFound('The sync run')
  const events = await findRunEvents(deps.db, run.id, RUN_EVENTS_SHOWN)
  return {
    run: toApiRun(run, deps.clock.now(), deps.config.crm.syncStallMs),
    events: events.map(({ details, ...e }) => ({
      ...e,
      at: e.at.toISOString(),
      parts: eventParts(e.message, details),
    })),
  }
}

/** Saves the settings, the schedule and the audit entry in one transaction, then applies the log retention. */
export async function updateSyncSettings(
  deps: AppDeps,
  actorId: string,
  settings: SyncSettings,
): Promise<SyncSettings> {
  const connection = await requireConnection(deps)
  await ensureSyncState(deps.db, connection.id)
  const state = await deps.db.transaction().execute(async (trx) => {
    await updateConnectionRow(trx, connection.id, { sync_interval_minutes: settings.intervalMinutes })
    await updateSyncState(trx, connection.id, {
      api_budget_run_percent: settings.apiBudgetRunPercent,
      api_budget_day_percent: settings.apiBudgetDayPercent,
      bulk_threshold: settings.bulkThreshold,
      reconcile_every_hours: settings.reconcileEveryHours,
      log_retention_days: settings.logRetentionDays,
      extra_fields: settings.extraFields,
      next_run_at: new Date(deps.clock.now().getTime() + settings.intervalMinutes * 60_000),
    })
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: 'crm.sync.settings_changed',
      targetType: 'crm_connection',
      targetId: connection.id,
      details: { ...settings },
    })
    return ensureSyncState(trx, connection.id)
  })
  await deleteOldRuns(
    deps.db,
    connection.id,
    new Date(deps.clock.now().getTime() - settings.logRetentionDays * 86_400_000),
  )
  return toSyncSettings(state, settings.intervalMinutes)
}
