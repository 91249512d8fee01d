// One sync run from start to finish: claim (one per connection across processes), open the session, set the
// budget and the field plan, run the steps (sync-steps.ts), and move to an end state (sync-run-states.ts):
// succeeded, partial (budget reached, resumes next time), paused (org API limit), or failed with the cause.
import type { SyncTrigger } from '../../storage/database.js'
import type { AppDeps } from '../../deps.js'
import { openCrmSession } from '../connection/crm-session.js'
import { findConnectionById } from '../connection/connection.repository.js'
import { isAutoAssignEnabled } from '../members/assignment-settings.repository.js'
import { applyAutomaticAssignments } from '../members/automatic-assignments.js'
import { hasKeyOnlyRows } from '../opportunities/key-index.repository.js'
import { fillMissingCurrency } from './opportunity-upsert.repository.js'
import {
  createRecorder,
  createRunContext,
  DEFAULT_TUNING,
  type RunContext,
  type RunRecorder,
  type SyncTuning,
} from './sync-context.js'
import { WORKER } from './dead-runs.js'
import { RunStopped, startRunWatch, type RunWatch } from './run-watch.js'
import {
  canMove,
  endForFailure,
  PAUSE_AFTER_LIMIT_MS,
  type RunEnd,
  type RunStatus,
} from './sync-run-states.js'
import {
  apiCallsSince,
  claimRun,
  type ClaimResult,
  endRun,
  ensureSyncState,
  updateRun,
  updateSyncState,
  type SyncRunRow,
  type SyncStateRow,
} from './sync-runs.repository.js'
import { runSteps, type RunPlan } from './sync-steps.js'

export interface SyncHooks {
  /** Called with the ids of opportunities a page inserted or changed (automatic member assignment). */
  afterPage?(connectionId: string, changedIds: string[]): Promise<void>
}

export type StartResult =
  { started: true; runId: number; status: RunStatus } | { started: false; runningRunId: number }

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
    /** The pg-boss job carrying this run, recorded so a dead run's job can be failed at once. */
    jobId?: string
    /** No progress for this long ends the run as stalled; default the configured CRM_SYNC_STALL_MS. */
    stallMs?: number
  } = {},
): Promise<StartResult> {
  const claim = await claimRun(
    deps.db,
    connectionId,
    trigger,
    WORKER,
    deps.clock.now(),
    options.staleAfterMs,
    options.jobId ?? null,
  )
  options.onClaim?.(claim)
  if (!claim.claimed) return { started: false, runningRunId: claim.running.id }
  const tuning = { ...DEFAULT_TUNING, ...options.tuning }
  const stallMs = options.stallMs ?? deps.config.crm.syncStallMs
  const status = await executeRun(deps, claim.run, tuning, options.hooks ?? {}, stallMs)
  return { started: true, runId: claim.run.id, status }
}

/**
 * running → (steps) → succeeded, or the end endForFailure picks for what a step threw, or for the watch
 * stopping the run (stalled; lost: another process already ended it, so nothing more is written).
 */
async function executeRun(
  deps: AppDeps,
  run: SyncRunRow,
  tuning: SyncTuning,
  hooks: SyncHooks,
  stallMs: number,
): Promise<RunStatus> {
  const state = await ensureSyncState(deps.db, run.connection_id)
  const recorder = createRecorder(deps, run.id)
  let progress: RunRecorder = recorder
  // The process-alive beat, whatever the run waits for (a slow page, backoff, a Bulk job), and the stall watch.
  const watch = startRunWatch(deps, run.id, stallMs)
  try {
    const steps = (async () => {
      const context = await openRun(deps, recorder, run, tuning, watch)
      progress = context
      await setBudget(context, state)
      const plan = await planRun(context, run, state, hooks)
      await runSteps(context, plan)
    })()
    // A stopped run leaves its steps behind; they write nothing more (watch.check) and their end is ignored.
    steps.catch(() => undefined)
    await Promise.race([steps, watch.stopped])
    return await finish(deps, progress, run, { status: 'succeeded' })
  } catch (err) {
    if (err instanceof RunStopped && err.reason === 'lost') {
      deps.log.warn({ runId: run.id }, 'sync run stopped: another process ended it')
      return 'failed'
    }
    const end = endForFailure(err)
    if (end.unexpected) deps.log.error({ err, runId: run.id }, 'sync run failed unexpectedly')
    return finish(deps, progress, run, end)
  } finally {
    watch.stop()
  }
}

async function openRun(
  deps: AppDeps,
  recorder: RunRecorder,
  run: SyncRunRow,
  tuning: SyncTuning,
  watch: RunWatch,
): Promise<RunContext> {
  const session = await openCrmSession(deps, run.connection_id, {
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
      onAnswer: () => watch.progressed(),
    },
  })
  return createRunContext(deps, recorder, {
    tuning,
    connectionId: run.connection_id,
    client: session.client,
    startedAt: deps.clock.now(),
    cacheLocally: session.connection.cache_locally,
    watch,
  })
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

/** Describe → field plan, full or incremental, and what follows each committed page. */
async function planRun(
  context: RunContext,
  run: SyncRunRow,
  state: SyncStateRow,
  hooks: SyncHooks,
): Promise<RunPlan> {
  const { deps, client, connectionId } = context
  const describe = await client.describeOpportunity()
  // "Cache data locally" off: the run stores a key index only (opportunities/key-index.repository.ts).
  const keyOnly = !context.cacheLocally
  // A single-currency org's records carry no CurrencyIsoCode: they get the corporate currency instead.
  const defaultCurrency = describe.fields.has('CurrencyIsoCode') ? null : await client.corporateCurrency()
  if (defaultCurrency) await fillMissingCurrency(deps.db, connectionId, defaultCurrency)
  const plan = client.planOpportunityFields(describe.fields, state.extra_fields, { keyOnly, defaultCurrency })
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
  // A full pass an earlier run left unfinished stays full and resumes from its checkpoint (sync-steps.ts).
  const resumeFull = state.full_sync_started_at !== null && state.high_water_modstamp !== null
  const full =
    state.full_sync_started_at !== null ||
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
  return Object.freeze({ run, state, plan, keyOnly, full, resumeFull, afterPage })
}

/** The one move out of running: the run's row, then the connection's schedule. */
async function finish(
  deps: AppDeps,
  progress: RunRecorder,
  run: SyncRunRow,
  end: RunEnd,
): Promise<RunStatus> {
  if (!canMove(run.status, end.status))
    throw new Error(`A sync run cannot move from ${run.status} to ${end.status}.`)
  if (end.event) await progress.event(end.event.level, end.event.message, end.event.details)
  await progress.saveProgress()
  const now = deps.clock.now()
  const connection = await findConnectionById(deps.db, run.connection_id)
  const interval = (connection?.sync_interval_minutes ?? 5) * 60_000
  const { status, error } = end
  // Only a run still running moves: one already ended by another process keeps that end.
  const moved = await endRun(deps.db, run.id, {
    status,
    finished_at: now,
    ...(error ? { error_code: error.code, error_message: error.message, error_hint: error.hint } : {}),
  })
  if (!moved) {
    deps.log.warn({ runId: run.id }, 'sync run was ended by another process before it finished')
    return 'failed'
  }
  await updateSyncState(deps.db, run.connection_id, {
    ...(status === 'succeeded' ? { last_success_at: now } : {}),
    next_run_at: new Date(now.getTime() + (status === 'paused' ? PAUSE_AFTER_LIMIT_MS : interval)),
    paused_until: status === 'paused' ? new Date(now.getTime() + PAUSE_AFTER_LIMIT_MS) : null,
  })
  return status
}
