import * as api from '../../../contracts/api/sync.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Route } from '../../http/route.js'
import { findConnection, updateConnectionRow } from '../connection/connection.repository.js'
import type { SyncDispatcher } from './sync-dispatch.js'
import { describeSyncHealth, toApiRun, toSyncSettings } from './sync-log.js'
import { findRunEvents, listRuns } from './sync-log.repository.js'
import {
  deleteOldRuns,
  ensureSyncState,
  findRun,
  findRunningRun,
  updateSyncState,
} from './sync-runs.repository.js'

async function requireConnection(deps: AppDeps) {
  const connection = await findConnection(deps.db)
  if (!connection)
    throw new AppError('NOT_FOUND', 'Connect a Salesforce org first (Module Settings > Setup).')
  return connection
}

export function registerSyncRoutes(route: Route, deps: AppDeps, dispatcher: SyncDispatcher): void {
  route(api.getSyncHealth, async () => describeSyncHealth(deps))

  route(api.startSync, async ({ body, user }) => {
    const connection = await requireConnection(deps)
    if (connection.status !== 'healthy') {
      throw new AppError(
        'CONFLICT',
        `The connection ${connection.status === 'disconnected' ? 'is disconnected' : 'needs attention'}: ${connection.status_reason ?? ''} ${connection.status_hint ?? ''}`.trim(),
      )
    }
    const running = await findRunningRun(deps.db, connection.id)
    if (running) return { run: toApiRun(running, deps.clock.now()), alreadyRunning: true, queued: false }
    await recordAuditEvent(deps.db, {
      actorUserId: user.id,
      action: `crm.sync.${body.trigger}_requested`,
      targetType: 'crm_connection',
      targetId: connection.id,
    })
    // In-process runs are claimed before dispatch returns, so the answer shows the run itself; runs for
    // pg-boss workers are only queued at this point.
    const dispatched = await dispatcher.dispatch(connection.id, body.trigger)
    const run = dispatched ? await findRun(deps.db, dispatched.runId) : undefined
    if (!dispatched || !run) return { run: null, alreadyRunning: false, queued: true }
    return { run: toApiRun(run, deps.clock.now()), alreadyRunning: dispatched.alreadyRunning, queued: false }
  })

  route(api.listSyncRuns, async ({ query }) => {
    const connection = await findConnection(deps.db)
    if (!connection) return { runs: [], nextBefore: null }
    const rows = await listRuns(deps.db, connection.id, query)
    const page = rows.slice(0, query.limit)
    const now = deps.clock.now()
    return {
      runs: page.map((row) => toApiRun(row, now)),
      nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    }
  })

  route(api.getSyncRun, async ({ params }) => {
    const run = await findRun(deps.db, params.id)
    if (!run) throw notFound('The sync run')
    const events = await findRunEvents(deps.db, run.id, 500)
    return {
      run: toApiRun(run, deps.clock.now()),
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    }
  })

  route(api.updateSyncSettings, async ({ body, user }) => {
    const connection = await requireConnection(deps)
    await ensureSyncState(deps.db, connection.id)
    const state = await deps.db.transaction().execute(async (trx) => {
      await updateConnectionRow(trx, connection.id, { sync_interval_minutes: body.intervalMinutes })
      await updateSyncState(trx, connection.id, {
        api_budget_run_percent: body.apiBudgetRunPercent,
        api_budget_day_percent: body.apiBudgetDayPercent,
        bulk_threshold: body.bulkThreshold,
        reconcile_every_hours: body.reconcileEveryHours,
        log_retention_days: body.logRetentionDays,
        extra_fields: body.extraFields,
        next_run_at: new Date(deps.clock.now().getTime() + body.intervalMinutes * 60_000),
      })
      await recordAuditEvent(trx, {
        actorUserId: user.id,
        action: 'crm.sync.settings_changed',
        targetType: 'crm_connection',
        targetId: connection.id,
        details: { ...body },
      })
      return ensureSyncState(trx, connection.id)
    })
    await deleteOldRuns(
      deps.db,
      connection.id,
      new Date(deps.clock.now().getTime() - body.logRetentionDays * 86_400_000),
    )
    return toSyncSettings(state, body.intervalMinutes)
  })
}
