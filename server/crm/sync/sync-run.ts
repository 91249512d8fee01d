// One sync run from start to finish: claim (one per connection across processes), budget, describe, the
// opportunity pass, deletes, related records, reconciliation when due, and an honest final status:
// succeeded, partial (budget reached, resumes next time), paused (org API limit), or failed with the cause.
import { hostname } from 'node:os'

import type { SyncRunStatus, SyncTrigger } from '../../storage/database.js'
import type { AppDeps } from '../../deps.js'
import { ApiBudgetExhausted } from '../../providers/crm-provider.js'
import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { isSalesforceError, type SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import { ConnectionUnavailableError, openCrmSession } from '../connection/crm-session.js'
import { findConnectionById } from '../connection/connection.repository.js'
import { isAutoAssignEnabled } from '../members/assignment-settings.repository.js'
import { applyAutomaticAssignments } from '../members/automatic-assignments.js'
import { blankOpportunityContent, hasKeyOnlyRows } from '../opportunities/key-index.repository.js'
import {
  createRecorder,
  DEFAULT_TUNING,
  type RunContext,
  type RunRecorder,
  type SyncTuning,
} from './sync-context.js'
import { checkHardDeletes } from './sync-deletes.js'
import { syncOpportunityPages } from './sync-opportunities.js'
import { reconcile } from './sync-reconcile.js'
import { syncRelatedRecords } from './sync-related.js'
import {
  apiCallsSince,
  claimRun,
  type ClaimResult,
  ensureSyncState,
  updateRun,
  updateSyncState,
  type SyncRunRow,
  type SyncStateRow,
} from './sync-runs.repository.js'

/** How a run ends (every status but running). */
export type RunStatus = Exclude<SyncRunStatus, 'running'>

export interface SyncHooks {
  /** Called with the ids of opportunities a page inserted or changed (automatic member assignment). */
  afterPage?(connectionId: string, changedIds: string[]): Promise<void>
}

export type StartResult =
  { started: true; runId: number; status: RunStatus } | { started: false; runningRunId: number }

const PAUSE_AFTER_LIMIT_MS = 60 * 60_000
const WORKER = `${hostname()}:${process.pid}`

export async function runSync(
  deps: AppDeps,
  connectionId: string,
  trigger: SyncTrigger,
  options: {
    tuning?: Partial<SyncTuning>
    hooks?: SyncHooks
    /** Called as soon as the claim is decided: the run this call claimed, or the one already running. */
    onClaim?: (claim: ClaimResult) => void
    /** How long without a heartbeat before a running run counts as dead (tests shorten it). */
    staleAfterMs?: number
  } = {},
): Promise<StartResult> {
  const claim = await claimRun(deps.db, connectionId, trigger, WORKER, deps.clock.now(), options.staleAfterMs)
  options.onClaim?.(claim)
  if (!claim.claimed) return { started: false, runningRunId: claim.running.id }
  const tuning = { ...DEFAULT_TUNING, ...options.tuning }
  const status = await executeRun(deps, claim.run, tuning, options.hooks ?? {})
  return { started: true, runId: claim.run.id, status }
}

async function executeRun(
  deps: AppDeps,
  run: SyncRunRow,
  tuning: SyncTuning,
  hooks: SyncHooks,
): Promise<RunStatus> {
  const connectionId = run.connection_id
  const state = await ensureSyncState(deps.db, connectionId)
  const recorder = createRecorder(deps, run.id)
  try {
    const session = await openCrmSession(deps, connectionId, {
      calls: {
        attempts: tuning.retryAttempts,
        baseDelayMs: tuning.retryBaseDelayMs,
        maxDelayMs: 20_000,
        sleep: tuning.sleep,
        random: tuning.random,
        onRetry: (error, attempt, delayMs) => {
          return recorder.event(
            'warning',
            `Salesforce call failed (${error.message}); retry ${attempt} in ${delayMs} ms.`,
            { kind: error.kind, salesforceCode: error.salesforceCode ?? null },
          )
        },
      },
    })
    const client = session.client
    recorder.client = client
    const context: RunContext = Object.assign(recorder, {
      deps,
      tuning,
      connectionId,
      client,
      startedAt: deps.clock.now(),
    })
    await setBudget(context, state)

    const describe = await client.describeOpportunity()
    // "Cache data locally" off: the run stores a key index only (opportunities/key-index.repository.ts).
    const keyOnly = !session.connection.cache_locally
    const plan = client.planOpportunityFields(describe.fields, state.extra_fields, { keyOnly })
    await updateSyncState(deps.db, connectionId, { hidden_fields: plan.hidden })
    if (plan.hidden.length > 0) {
      await context.event(
        'warning',
        `Field-level security hides ${plan.hidden.join(', ')} from the integration user; these stay empty in the cache.`,
        { hidden: plan.hidden },
      )
    }

    // After the cache is turned back on, every run is full until no key-only row is left: an incremental run
    // would never bring back the content of records that did not change.
    const full =
      run.trigger === 'initial' ||
      !state.high_water_modstamp ||
      (!keyOnly && (await hasKeyOnlyRows(deps.db, connectionId)))
    // "Assign owners and team members automatically" follows every committed page (when it is switched on).
    const autoAssign = await isAutoAssignEnabled(deps.db)
    const afterPage = async (ids: string[]) => {
      if (ids.length === 0) return
      if (autoAssign) await applyAutomaticAssignments(deps.db, connectionId, ids)
      if (hooks.afterPage) await hooks.afterPage(connectionId, ids)
    }
    const pass = await syncOpportunityPages(context, state, plan, { full, afterPage })
    // A run that was still storing content when the cache was turned off may have written some after the
    // switch blanked it; the next key-only run removes it.
    if (keyOnly) await blankOpportunityContent(deps.db, connectionId)
    if (full) await updateSyncState(deps.db, connectionId, { last_full_sync_at: context.startedAt })

    const deletes = await checkHardDeletes(context, state)
    if (deletes.markedDeleted > 0) {
      context.counters.deleted += deletes.markedDeleted
      await context.event(
        'info',
        `${deletes.markedDeleted} opportunities were deleted permanently in Salesforce (emptied from the recycle bin).`,
      )
    }

    const hasTeamSelling = await client.hasTeamSelling()
    const related = await syncRelatedRecords(context, state, hasTeamSelling)
    // Team members and their emails arrive after the opportunities; apply the rule once more with them.
    const assigned = await applyAutomaticAssignments(deps.db, connectionId)
    if (assigned.added + assigned.removed > 0) {
      await context.event(
        'info',
        `Automatic assignment: ${assigned.added} memberships added or updated, ${assigned.removed} removed.`,
      )
    }
    if (!hasTeamSelling)
      await context.event('info', 'Team Selling is off in this org: no opportunity team members to sync.')

    const reconcileDue =
      run.trigger === 'reconcile' ||
      deletes.windowExceeded ||
      (!full && isReconcileDue(state, context.startedAt))
    if (reconcileDue) {
      if (deletes.windowExceeded)
        await context.event(
          'warning',
          'The last check for deleted records is older than Salesforce keeps them (15 days); running a full reconciliation.',
        )
      const report = await reconcile(context, plan, pass.total > state.bulk_threshold)
      await updateSyncState(deps.db, connectionId, { last_reconcile_at: context.startedAt })
      await context.event(
        'info',
        `Reconciliation compared ${report.compared} records: ${report.missedDeletes} missed deletes fixed, ${report.refetched} missing or out-of-date records fetched again.`,
        { ...report },
      )
    }
    await context.event(
      'info',
      `Synced ${context.counters.fetched} opportunities, ${related.teamMembers} team members and ${related.users} Salesforce users.`,
    )
    return await finish(deps, context, run, 'succeeded')
  } catch (err) {
    return finishWithError(deps, recorder, run, err)
  }
}

async function setBudget(context: RunContext, state: SyncStateRow): Promise<void> {
  const { deps, client, connectionId } = context
  const daily = await client.limits()
  if (!daily) return
  const usedToday = await apiCallsSince(
    deps.db,
    connectionId,
    new Date(context.startedAt.getTime() - 24 * 3_600_000),
  )
  const runCap = Math.floor((daily.max * state.api_budget_run_percent) / 100)
  const dayCap = Math.floor((daily.max * state.api_budget_day_percent) / 100) - usedToday
  const remainingCalls = Math.max(0, Math.min(runCap, dayCap, daily.remaining) - client.calls)
  client.setCallBudget(remainingCalls)
  await updateRun(deps.db, context.runId, { api_remaining: daily.remaining, api_max: daily.max })
  await context.event(
    'info',
    `API budget for this run: ${remainingCalls} calls (${daily.remaining} of ${daily.max} left in the org today; this module used ${usedToday} in the last 24 hours).`,
  )
}

function isReconcileDue(state: SyncStateRow, now: Date): boolean {
  const last = state.last_reconcile_at ?? state.last_full_sync_at
  return !last || now.getTime() - last.getTime() >= state.reconcile_every_hours * 3_600_000
}

async function finish(
  deps: AppDeps,
  context: RunRecorder,
  run: SyncRunRow,
  status: RunStatus,
  error?: { code: string; message: string; hint: string },
): Promise<RunStatus> {
  await context.saveProgress()
  const now = deps.clock.now()
  const connection = await findConnectionById(deps.db, run.connection_id)
  const interval = (connection?.sync_interval_minutes ?? 5) * 60_000
  await updateRun(deps.db, run.id, {
    status,
    finished_at: now,
    ...(error ? { error_code: error.code, error_message: error.message, error_hint: error.hint } : {}),
  })
  await updateSyncState(deps.db, run.connection_id, {
    ...(status === 'succeeded' ? { last_success_at: now } : {}),
    next_run_at: new Date(now.getTime() + (status === 'paused' ? PAUSE_AFTER_LIMIT_MS : interval)),
    paused_until: status === 'paused' ? new Date(now.getTime() + PAUSE_AFTER_LIMIT_MS) : null,
  })
  return status
}

async function finishWithError(
  deps: AppDeps,
  progress: RunRecorder,
  run: SyncRunRow,
  err: unknown,
): Promise<RunStatus> {
  if (err instanceof ApiBudgetExhausted) {
    await progress.event(
      'warning',
      'The API budget for this run is used up; stopping here. The next run resumes from the last saved page.',
    )
    return finish(deps, progress, run, 'partial', {
      code: 'API_BUDGET_REACHED',
      message: 'Stopped at the API budget set for the sync.',
      hint: 'Raise the budget share in the sync settings, or let the next runs continue.',
    })
  }
  if (err instanceof ConnectionUnavailableError) {
    await progress.event('error', err.message)
    return finish(deps, progress, run, 'failed', {
      code: 'CONNECTION_NEEDS_ATTENTION',
      message: err.message,
      hint: err.hint,
    })
  }
  const error: SalesforceError = isSalesforceError(err) ? err : toSalesforceError(err)
  if (!isSalesforceError(err)) deps.log.error({ err, runId: run.id }, 'sync run failed unexpectedly')
  if (error.kind === 'request_limit_exceeded') {
    await progress.event('error', error.message)
    return finish(deps, progress, run, 'paused', {
      code: error.salesforceCode ?? 'REQUEST_LIMIT_EXCEEDED',
      message: error.message,
      hint: error.hint,
    })
  }
  await progress.event('error', error.message, {
    kind: error.kind,
    salesforceCode: error.salesforceCode ?? null,
  })
  return finish(deps, progress, run, 'failed', {
    code: error.salesforceCode ?? error.kind.toUpperCase(),
    message: error.message,
    hint: error.hint,
  })
}
