// The admin's switch for real-time updates and the stream's state as the admin reads it. Turning it on first
// asks Salesforce whether it sends Opportunity change events to the integration user (GetTopic), so a switch
// that can never work is refused with what to change in Salesforce, instead of showing an error later.
import type { RealtimeStatus } from '../../../contracts/api/realtime.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { isSalesforceError, type SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { ConnectionRow } from '../connection/connection.repository.js'
import { findConnection } from '../connection/connection.repository.js'
import { openStreamAuth } from '../connection/crm-session.js'
import { deliveredLastDay, recentMinutes } from './cdc-minutes.repository.js'
import {
  findStream,
  listStreamEvents,
  setStreamEnabled,
  type CdcStreamRow,
} from './cdc-streams.repository.js'

/** Failures that only a change in Salesforce (or in our settings) mends: retrying does not help. */
const NEEDS_ADMIN = new Set(['cdc_disabled', 'no_access', 'url_not_allowed', 'api_disabled'])

/** No heartbeat for this long past the idle timeout: the holding process is gone (another takes over). */
const HOLDER_GONE_GRACE_MS = 30_000
const MINUTES_SHOWN = 30
const LOG_SHOWN = 20
/** Warn at this share of the 24-hour delivery allocation: past it Salesforce stops delivering. */
const NEAR_LIMIT = 0.8

export async function describeRealtime(deps: AppDeps): Promise<RealtimeStatus> {
  const connection = await findConnection(deps.db)
  const stream = connection ? await findStream(deps.db, connection.id) : undefined
  return { ...toStatus(deps, connection !== undefined, stream), ...(await figures(deps, connection, stream)) }
}

async function figures(
  deps: AppDeps,
  connection: ConnectionRow | undefined,
  stream: CdcStreamRow | undefined,
): Promise<Omit<RealtimeStatus, keyof ReturnType<typeof toStatus>>> {
  const now = deps.clock.now()
  const polling = {
    intervalMinutes: connection?.sync_interval_minutes ?? null,
    healthyMinutes: deps.config.crm.pubSub.healthySyncMinutes,
  }
  if (!connection || !stream)
    return {
      lastLagMs: null,
      minutes: [],
      delivery: { last24h: 0, limit: null, nearLimit: false },
      polling,
      log: [],
    }
  const [minutes, last24h, log] = await Promise.all([
    recentMinutes(deps.db, connection.id, now, MINUTES_SHOWN),
    deliveredLastDay(deps.db, connection.id, now),
    listStreamEvents(deps.db, connection.id, LOG_SHOWN),
  ])
  const limit = stream.delivery_limit
  return {
    lastLagMs:
      stream.last_event_at && stream.last_commit_at
        ? Math.max(0, stream.last_event_at.getTime() - stream.last_commit_at.getTime())
        : null,
    minutes: minutes.map((m) => ({ ...m, minute: m.minute.toISOString() })),
    delivery: { last24h, limit, nearLimit: limit !== null && last24h >= limit * NEAR_LIMIT },
    polling,
    log: log.map((e) => ({ at: e.at.toISOString(), level: e.level, message: e.message, hint: e.hint })),
  }
}

export async function setRealtime(deps: AppDeps, actorId: string, enabled: boolean): Promise<RealtimeStatus> {
  const connection = await findConnection(deps.db)
  if (!connection)
    throw new AppError('NOT_FOUND', 'Connect a Salesforce org first (Module Settings > Setup).')
  if (enabled) {
    if (connection.status !== 'healthy')
      throw new AppError(
        'CONFLICT',
        `The connection needs attention first: ${connection.status_reason ?? ''} ${connection.status_hint ?? ''}`.trim(),
      )
    await checkChangeEvents(deps, connection.id)
  }
  await setStreamEnabled(deps.db, connection.id, enabled)
  await recordAuditEvent(deps.db, {
    actorUserId: actorId,
    action: enabled ? 'crm.realtime.enabled' : 'crm.realtime.disabled',
    targetType: 'crm_connection',
    targetId: connection.id,
  })
  return describeRealtime(deps)
}

async function checkChangeEvents(deps: AppDeps, connectionId: string): Promise<void> {
  const { auth, reauthenticate } = await openStreamAuth(deps, connectionId)
  try {
    await deps.crmProvider.checkChangeEvents(auth).catch(async (err: unknown) => {
      // A stored access token may have expired since the last sync: sign in again once.
      if (!isSalesforceError(err, 'session_expired')) throw err
      await deps.crmProvider.checkChangeEvents(await reauthenticate())
    })
  } catch (err) {
    if (!isSalesforceError(err)) throw err
    throw refusal(err)
  }
}

function refusal(err: SalesforceError): AppError {
  const details = { reason: err.kind, hint: err.hint }
  if (NEEDS_ADMIN.has(err.kind))
    return new AppError('REALTIME_UNAVAILABLE', err.message, undefined, undefined, details)
  return new AppError('CRM_UNAVAILABLE', `${err.message} ${err.hint}`, undefined, undefined, details)
}

function toStatus(deps: AppDeps, configured: boolean, stream: CdcStreamRow | undefined) {
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null
  const enabled = stream?.enabled ?? false
  return {
    configured,
    enabled,
    state: enabled && stream ? apiState(deps, stream) : 'off',
    stateAt: iso(stream?.state_at),
    holder: enabled ? (stream?.holder ?? null) : null,
    lastEventAt: iso(stream?.last_event_at),
    eventsApplied: stream?.events_applied ?? 0,
    lastError:
      stream?.last_error_code && stream.last_error_message
        ? {
            code: stream.last_error_code,
            message: stream.last_error_message,
            hint: stream.last_error_hint,
            at: iso(stream.last_error_at),
          }
        : null,
  }
}

function apiState(deps: AppDeps, stream: CdcStreamRow): RealtimeStatus['state'] {
  if (stream.state === 'error')
    return NEEDS_ADMIN.has(stream.last_error_code ?? '') ? 'failed' : 'reconnecting'
  if (stream.state === 'connected') {
    const quietMs = deps.clock.now().getTime() - (stream.heartbeat_at?.getTime() ?? 0)
    // Its process died without saying so; another one takes over within seconds.
    if (quietMs > deps.config.crm.pubSub.idleTimeoutMs + HOLDER_GONE_GRACE_MS) return 'reconnecting'
  }
  return stream.state
}
