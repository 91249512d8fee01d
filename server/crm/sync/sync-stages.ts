// The "stage order" step: every run, cache on or off, reads the org's opportunity stages (a single small
// query) and replaces crm_opportunity_stages, so menus, board columns and the chart follow the org's order
// (issue 17 item 3). The list is a nicety, not data: a failure no retry fixed (a cut or stalled answer
// times out like any call, CRM_HTTP_TIMEOUT_MS, and is retried by the session's call policy first) is
// written to the Sync Log with a hint and the run goes on; the stages kept from an earlier run stay.
// Failures that concern the whole run (the API budget, the daily limit, the session) end the run as usual.
import { isSalesforceError, type SalesforceErrorKind } from '../../providers/salesforce/salesforce-errors.js'
import { replaceOpportunityStages } from '../opportunities/stage-order.repository.js'
import type { RunContext } from './sync-context.js'

/** Kinds that leave the rest of the run able to go on. */
const STEP_ONLY: readonly SalesforceErrorKind[] = [
  'timeout',
  'unreachable',
  'server_error',
  'bad_response',
  'no_access',
  'not_found',
  'invalid_request',
]

export const STAGE_ORDER_HINT =
  'Stage menus, board columns and the chart keep the stage order of the last run that read it (alphabetical if none did). The next run tries again; if this repeats, check that the integration user can read Opportunity Stages (OpportunityStage) and the network to Salesforce.'

export async function syncStageOrder(context: RunContext): Promise<void> {
  let stages
  try {
    stages = await context.client.opportunityStages()
  } catch (err) {
    if (!isSalesforceError(err) || !STEP_ONLY.includes(err.kind)) throw err
    // The Sync Log shows an event's message only, so the hint is part of it.
    await context.event('warning', `Could not read the stage order: ${err.message} ${STAGE_ORDER_HINT}`, {
      step: 'stage order',
      kind: err.kind,
      salesforceCode: err.salesforceCode ?? null,
    })
    return
  }
  context.watch.check()
  await replaceOpportunityStages(context.deps.db, context.connectionId, stages)
}
