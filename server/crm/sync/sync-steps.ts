// The steps of a run, in order. Each reads the frozen run context and what earlier steps found, and returns
// what it found in turn; the counters are the only state they share. sync-run.ts runs them one by one.
import type { FieldPlan } from '../../providers/crm-provider.js'
import { applyAutomaticAssignments } from '../members/automatic-assignments.js'
import { blankOpportunityContent } from '../opportunities/key-index.repository.js'
import type { RunContext } from './sync-context.js'
import { checkHardDeletes } from './sync-deletes.js'
import { syncOpportunityPages } from './sync-opportunities.js'
import { reconcile } from './sync-reconcile.js'
import { syncRelatedRecords } from './sync-related.js'
import { syncStageOrder } from './sync-stages.js'
import { updateSyncState, type SyncRunRow, type SyncStateRow } from './sync-runs.repository.js'

/** What the run decided before its steps: the field plan, full or incremental, key index only. */
export interface RunPlan {
  readonly run: SyncRunRow
  readonly state: SyncStateRow
  readonly plan: FieldPlan
  readonly keyOnly: boolean
  readonly full: boolean
  /** A full pass an earlier run left unfinished: read on from its checkpoint, still a full pass. */
  readonly resumeFull: boolean
  /** Called with the ids each committed page inserted or changed. */
  readonly afterPage: (ids: string[]) => Promise<void>
}

/** What the steps found, for the steps after them and the final summary. */
export interface StepFindings {
  total: number
  windowExceeded: boolean
  teamMembers: number
  users: number
}

export interface RunStep {
  name: string
  run(context: RunContext, plan: RunPlan, found: StepFindings): Promise<Partial<StepFindings>>
}

const opportunities: RunStep = {
  name: 'opportunities',
  async run(context, { state, plan, full, resumeFull, keyOnly, afterPage }) {
    const { db } = context.deps
    // The first full sync of a connection fills the cache: nothing in it is a change (issue 15).
    const history = !full || state.last_full_sync_at !== null
    // A new full pass reads from the start: its pages then move the checkpoint from scratch.
    if (full && !resumeFull)
      await updateSyncState(db, context.connectionId, {
        full_sync_started_at: context.startedAt,
        high_water_modstamp: null,
        high_water_id: null,
      })
    const pass = await syncOpportunityPages(context, state, plan, { full, resumeFull, history, afterPage })
    // A run that was still storing content when the cache was turned off may have written some after the
    // switch blanked it; the next key-only run removes it.
    if (keyOnly) await blankOpportunityContent(context.deps.db, context.connectionId)
    if (full)
      await updateSyncState(db, context.connectionId, {
        last_full_sync_at: state.full_sync_started_at ?? context.startedAt,
        full_sync_started_at: null,
      })
    return { total: pass.total }
  },
}

const stageOrder: RunStep = {
  name: 'stage order',
  async run(context) {
    await syncStageOrder(context)
    return {}
  },
}

const hardDeletes: RunStep = {
  name: 'hard deletes',
  async run(context, { state }) {
    const deletes = await checkHardDeletes(context, state)
    if (deletes.markedDeleted > 0) {
      context.counters.deleted += deletes.markedDeleted
      await context.event(
        'info',
        `${deletes.markedDeleted} opportunities were deleted permanently in Salesforce (emptied from the recycle bin).`,
      )
    }
    return { windowExceeded: deletes.windowExceeded }
  },
}

const relatedRecords: RunStep = {
  name: 'team members and users',
  async run(context, { state }) {
    const hasTeamSelling = await context.client.hasTeamSelling()
    const related = await syncRelatedRecords(context, state, hasTeamSelling)
    // Team members and their emails arrive after the opportunities; apply the rule once more with them.
    const assigned = await applyAutomaticAssignments(context.deps.db, context.connectionId)
    if (assigned.added + assigned.removed > 0) {
      await context.event(
        'info',
        `Automatic assignment: ${assigned.added} memberships added or updated, ${assigned.removed} removed.`,
      )
    }
    if (!hasTeamSelling)
      await context.event('info', 'Team Selling is off in this org: no opportunity team members to sync.')
    return { teamMembers: related.teamMembers, users: related.users }
  },
}

function isReconcileDue(state: SyncStateRow, now: Date): boolean {
  const last = state.last_reconcile_at ?? state.last_full_sync_at
  return !last || now.getTime() - last.getTime() >= state.reconcile_every_hours * 3_600_000
}

const reconciliation: RunStep = {
  name: 'reconciliation',
  async run(context, { run, state, plan, full }, found) {
    const due =
      run.trigger === 'reconcile' ||
      found.windowExceeded ||
      (!full && isReconcileDue(state, context.startedAt))
    if (!due) return {}
    if (found.windowExceeded)
      await context.event(
        'warning',
        'The last check for deleted records is older than Salesforce keeps them (15 days); running a full reconciliation.',
      )
    const report = await reconcile(context, plan, found.total > state.bulk_threshold)
    await updateSyncState(context.deps.db, context.connectionId, { last_reconcile_at: context.startedAt })
    await context.event(
      'info',
      `Reconciliation compared ${report.compared} records: ${report.missedDeletes} missed deletes fixed, ${report.refetched} missing or out-of-date records fetched again.`,
      { ...report },
    )
    return {}
  },
}

const summary: RunStep = {
  name: 'summary',
  async run(context, _plan, found) {
    await context.event(
      'info',
      `Synced ${context.counters.fetched} opportunities, ${found.teamMembers} team members and ${found.users} Salesforce users.`,
    )
    return {}
  },
}

/**
 * Every run, in this order: the org's stage order (small, so the board is ordered as soon as deals arrive),
 * opportunity pages, hard deletes, related records, reconciliation when due.
 */
export const RUN_STEPS: readonly RunStep[] = [
  stageOrder,
  opportunities,
  hardDeletes,
  relatedRecords,
  reconciliation,
  summary,
]

export async function runSteps(context: RunContext, plan: RunPlan, steps = RUN_STEPS): Promise<StepFindings> {
  let found: StepFindings = { total: 0, windowExceeded: false, teamMembers: 0, users: 0 }
  for (const step of steps) {
    context.watch.check()
    context.watch.progressed()
    found = { ...found, ...(await step.run(context, plan, found)) }
  }
  return found
}
