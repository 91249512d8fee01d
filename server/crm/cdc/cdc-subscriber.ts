// One connection's subscriber: opens the CRM session (for reading changed records by id) and the change stream
// from the stored position, applies each batch (cdc-apply.ts), and records what the admin sees: the stream's
// state, its last error with a hint, and its own events (reconnects, gaps, overflows, a lost position).
import type { AppDeps } from '../../deps.js'
import type { ChangeStream, ChangeStreamStatus } from '../../providers/crm-provider.js'
import type { SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import { openCrmSession, openStreamAuth } from '../connection/crm-session.js'
import { ensureSyncState, updateSyncState } from '../sync/sync-runs.repository.js'
import { applyChangeBatch, type BatchOutcome } from './cdc-apply.js'
import { addStreamEvent, findStream, updateStream } from './cdc-streams.repository.js'

export interface CdcHooks {
  /** Runs inside each batch's transaction before its commit (tests stop a subscriber mid-batch here). */
  beforeCommit?: (() => Promise<void>) | undefined
  /** After each applied batch. */
  afterBatch?: ((outcome: BatchOutcome) => void) | undefined
}

export interface SubscriberOptions {
  /** Asks for an incremental sync now (the scheduler would also find it due). */
  requestSync(connectionId: string): Promise<void>
  hooks?: CdcHooks | undefined
  backoff?: { baseMs: number; maxMs: number } | undefined
}

export async function startSubscriber(
  deps: AppDeps,
  connectionId: string,
  options: SubscriberOptions,
): Promise<ChangeStream> {
  const log = deps.log.child({ connectionId, component: 'cdc' })
  const event = (level: 'info' | 'warning' | 'error', message: string, hint?: string) =>
    addStreamEvent(deps.db, connectionId, { level, message, hint, at: deps.clock.now() })
  const { client: session, connection } = await openCrmSession(deps, connectionId)
  const state = await ensureSyncState(deps.db, connectionId)
  const describe = await session.describeOpportunity()
  const plan = session.planOpportunityFields(describe.fields, state.extra_fields, {
    keyOnly: !connection.cache_locally,
  })
  // The allocation's limit for the panel; one call per stream start, and the stream does not depend on it.
  const deliveryLimit = await session.deliveryAllocation().catch(() => undefined)
  if (deliveryLimit !== undefined)
    await updateStream(deps.db, connectionId, { delivery_limit: deliveryLimit })
  const stored = await findStream(deps.db, connectionId)
  const { auth, reauthenticate } = await openStreamAuth(deps, connectionId)

  // Status writes go one after another, in the order the stream reported them.
  let statusChain = Promise.resolve()
  let lastError: string | undefined
  let positionLost: string | undefined
  const onStatus = (status: ChangeStreamStatus) => {
    statusChain = statusChain
      .then(() => recordStatus(status))
      .catch((err: unknown) => log.warn({ err }, 'could not record the change stream state'))
  }
  const recordStatus = async (status: ChangeStreamStatus) => {
    const now = deps.clock.now()
    if (status.state !== 'error') {
      if (status.state === 'connected' && lastError) await event('info', 'Change stream reconnected.')
      if (status.state === 'connected') lastError = undefined
      await updateStream(deps.db, connectionId, { state: status.state, state_at: now, heartbeat_at: now })
      return
    }
    const error = status.error
    await updateStream(deps.db, connectionId, {
      state: 'error',
      state_at: now,
      last_error_code: error.kind,
      last_error_message: error.message,
      last_error_hint: error.hint,
      last_error_at: now,
    })
    // One log line per distinct failure, not one per retry.
    if (lastError !== error.message) {
      lastError = error.message
      await event(isPersonNeeded(error) ? 'error' : 'warning', error.message, error.hint)
      log.warn({ kind: error.kind, code: error.salesforceCode, retryInMs: status.retryInMs }, error.message)
    }
  }

  const askForSync = async (reason: string) => {
    await event(
      'warning',
      `Running an incremental sync: ${reason}.`,
      'Nothing is lost: the sync reads every record changed since the last one.',
    )
    await options
      .requestSync(connectionId)
      .catch((err: unknown) => log.warn({ err }, 'could not ask for a sync'))
  }

  return deps.crmProvider.openChangeStream({
    auth,
    reauthenticate,
    position: stored?.replay_id ?? undefined,
    batchSize: 100,
    idleTimeoutMs: deps.config.crm.pubSub.idleTimeoutMs,
    backoff: options.backoff,
    onStatus,
    onBatch: async (batch) => {
      const outcome = await applyChangeBatch(
        { deps, connectionId, session, plan, beforeCommit: options.hooks?.beforeCommit },
        batch,
      )
      for (const gap of outcome.gaps)
        await event(
          'info',
          `${gap.changeType}: re-read ${gap.recordIds.length} record(s) Salesforce could not send as a change.`,
        )
      if (outcome.syncReason) await askForSync(outcome.syncReason)
      // The stream runs again from the newest change: a sync started now covers everything before it.
      if (positionLost) {
        await askForSync(positionLost)
        positionLost = undefined
      }
      options.hooks?.afterBatch?.(outcome)
    },
    onPositionLost: async (error) => {
      // Durable first (the scheduler runs the sync if this process dies); the sync itself waits until the new
      // stream answers, or changes between the sync's read and the new stream's start would be missed.
      await deps.db.transaction().execute(async (trx) => {
        await updateStream(trx, connectionId, { replay_id: null, sync_requested_at: deps.clock.now() })
        await updateSyncState(trx, connectionId, { next_run_at: deps.clock.now() })
      })
      positionLost = `the stored stream position could not be resumed (${error.message})`
    },
  })
}

function isPersonNeeded(error: SalesforceError): boolean {
  return ['cdc_disabled', 'no_access', 'url_not_allowed', 'request_limit_exceeded'].includes(error.kind)
}
