// Linking the org: Test Connection, Save Settings, Disconnect, and the health status every other CRM
// feature checks. Secrets are sealed with the master key before they touch the database.
import {
  sameSecretBinding,
  type ApiConnection,
  type ConnectionSettings,
  type ConnectionTestReport,
} from '../../../contracts/api/crm-connection.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { SalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { Db } from '../../storage/open-database.js'
import { blankOpportunityContent } from '../opportunities/key-index.repository.js'
import { runConnectionCheck, type CheckOutcome } from './connection-check.js'
import { revokeConnectionLinks } from './link-revocation.js'
import {
  findConnection,
  insertConnectionRow,
  toApiConnection,
  updateConnectionRow,
  type ConnectionRow,
} from './connection.repository.js'
import {
  MISPLACED_HINT,
  MISPLACED_SECRETS,
  MisplacedSecretsError,
  openSecrets,
  sealSecrets,
} from './secret-binding.js'
import {
  resolveSettings,
  secretsToStore,
  type ResolvedSettings,
  type StoredSecrets,
} from './resolved-settings.js'

export async function describeConnection(deps: AppDeps): Promise<ApiConnection | null> {
  const row = await findConnection(deps.db)
  if (!row) return null
  try {
    return toApiConnection(row, openSecrets(deps, row))
  } catch (err) {
    if (!(err instanceof MisplacedSecretsError)) throw err
    // Shown to the admin on Setup; nothing stored can be used until the secrets are entered again.
    return {
      ...toApiConnection(row, {}),
      status: 'needs_attention',
      statusReason: MISPLACED_SECRETS,
      statusHint: MISPLACED_HINT,
    }
  }
}

/**
 * The secrets stored for the connection that the form may use: none when the form names another origin or
 * Consumer Key than they were entered for (`reenter` then says why each secret is asked for again).
 */
export async function usableStoredSecrets(
  deps: AppDeps,
  form: Pick<ConnectionSettings, 'webServicesUrl' | 'consumerKey'>,
): Promise<{ stored: StoredSecrets | undefined; reenter?: string }> {
  const row = await findConnection(deps.db)
  if (!row || row.status === 'disconnected') return { stored: undefined }
  const saved = { webServicesUrl: row.login_url, consumerKey: row.consumer_key }
  if (!sameSecretBinding(saved, form)) return { stored: undefined, reenter: REENTER_CHANGED }
  try {
    return { stored: openSecrets(deps, row) }
  } catch (err) {
    if (!(err instanceof MisplacedSecretsError)) throw err
    return { stored: undefined, reenter: MISPLACED_SECRETS }
  }
}

const REENTER_CHANGED =
  'The Web Services URL or the Consumer Key changed, so every secret must be entered again (stored ones are only used where they were entered).'

async function runCheck(
  deps: AppDeps,
  form: ConnectionSettings,
  extra?: StoredSecrets,
): Promise<{ outcome: CheckOutcome; settings: ResolvedSettings }> {
  const { stored, reenter } = await usableStoredSecrets(deps, form)
  const settings = resolveSettings(form, { ...stored, ...extra }, reenter)
  return { outcome: await runConnectionCheck({ provider: deps.crmProvider }, settings), settings }
}

export async function testConnectionSettings(
  deps: AppDeps,
  actorId: string,
  form: ConnectionSettings,
): Promise<ConnectionTestReport> {
  const { outcome } = await runCheck(deps, form)
  await recordAuditEvent(deps.db, {
    actorUserId: actorId,
    action: 'crm.connection.tested',
    targetType: 'crm_connection',
    details: {
      authMethod: form.authMethod,
      webServicesUrl: form.webServicesUrl,
      ok: outcome.report.ok,
      failed: failedChecks(outcome.report),
    },
  })
  return outcome.report
}

function failedChecks(report: ConnectionTestReport): string[] {
  return report.checks.filter((check) => check.status === 'failed').map((check) => check.id)
}

export interface SaveResult {
  saved: boolean
  report: ConnectionTestReport
  connection: ApiConnection | null
}

/** Save Settings: tests again and saves only when the test passes. `extra` carries a fresh refresh token (OAuth). */
export async function saveConnectionSettings(
  deps: AppDeps,
  actorId: string,
  form: ConnectionSettings,
  extra?: StoredSecrets,
): Promise<SaveResult> {
  const { outcome, settings } = await runCheck(deps, form, extra)
  if (!outcome.report.ok || !outcome.tokens) {
    await recordAuditEvent(deps.db, {
      actorUserId: actorId,
      action: 'crm.connection.save_refused',
      targetType: 'crm_connection',
      details: { failed: failedChecks(outcome.report) },
    })
    return { saved: false, report: outcome.report, connection: await describeConnection(deps) }
  }
  const tokens = outcome.tokens
  const secrets = secretsToStore(settings, tokens.refreshToken, tokens.accessToken)
  const row = await deps.db.transaction().execute(async (trx) => {
    const values = {
      provider: form.provider,
      auth_method: form.authMethod,
      login_url: settings.webServicesUrl,
      instance_url: tokens.instanceUrl,
      username: form.authMethod === 'password' ? (settings.username ?? null) : null,
      consumer_key: form.consumerKey,
      encrypted_secrets: sealSecrets(
        deps,
        { login_url: settings.webServicesUrl, consumer_key: form.consumerKey },
        secrets,
      ),
      cache_locally: form.cacheLocally,
      status: 'healthy' as const,
      status_reason: null,
      status_hint: null,
      status_changed_at: deps.clock.now(),
      org_id: tokens.orgId,
      integration_user_id: tokens.userId,
      ...(form.syncIntervalMinutes !== undefined ? { sync_interval_minutes: form.syncIntervalMinutes } : {}),
    }
    const existing = await findConnection(trx)
    const saved = existing
      ? await updateConnectionRow(trx, existing.id, values)
      : await insertConnectionRow(trx, values)
    // Cache turned off: the stored content goes in the same transaction, so no reader sees "off" with data
    // still here. Turned back on: the initial sync that follows every save refills it (see key-index.repository.ts).
    if (existing && !form.cacheLocally) await blankOpportunityContent(trx, saved.id)
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: existing ? 'crm.connection.updated' : 'crm.connection.connected',
      targetType: 'crm_connection',
      targetId: saved.id,
      details: {
        authMethod: form.authMethod,
        webServicesUrl: settings.webServicesUrl,
        cacheLocally: form.cacheLocally,
        orgId: tokens.orgId,
      },
    })
    return saved
  })
  return { saved: true, report: outcome.report, connection: toApiConnection(row, secrets) }
}

/**
 * Disconnect: revoke at Salesforce (best effort, reported), then forget every secret; the users' own links
 * are moved to revocation in the same transaction (link-revocation.ts).
 */
export async function disconnectConnection(
  deps: AppDeps,
  actorId: string,
): Promise<{ revoked: boolean; connection: ApiConnection | null }> {
  const row = await findConnection(deps.db)
  if (!row) return { revoked: false, connection: null }
  const secrets = row.status === 'disconnected' ? {} : openSecretsIfPlaced(deps, row)
  const token = secrets.refreshToken || secrets.accessToken
  let revoked = false
  let revokeError: string | undefined
  if (token && row.instance_url) {
    try {
      // Revoking the refresh token also ends the access tokens issued from it (Salesforce Help "Revoke OAuth Tokens").
      await deps.crmProvider.revoke(row.instance_url, token)
      revoked = true
    } catch (err) {
      revokeError = (err as SalesforceError).message
    }
  }
  const updated = await deps.db.transaction().execute(async (trx) => {
    const saved = await updateConnectionRow(trx, row.id, {
      encrypted_secrets: sealSecrets(deps, row, {}),
      status: 'disconnected',
      status_reason: 'Disconnected by an admin.',
      status_hint: 'Enter the credentials again and Save Settings to reconnect.',
      status_changed_at: deps.clock.now(),
    })
    // Every user's own link ends with the org's: revoked at Salesforce by a job once this commits.
    const userLinks = await revokeConnectionLinks(deps, trx, row.id)
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: 'crm.connection.disconnected',
      targetType: 'crm_connection',
      targetId: row.id,
      details: { revoked, userLinks, ...(revokeError ? { revokeError } : {}) },
    })
    return saved
  })
  return { revoked, connection: toApiConnection(updated, {}) }
}

/** Disconnect forgets secrets that no longer open here too (nothing to revoke with them). */
function openSecretsIfPlaced(deps: AppDeps, row: ConnectionRow): StoredSecrets {
  try {
    return openSecrets(deps, row)
  } catch (err) {
    if (err instanceof MisplacedSecretsError) return {}
    throw err
  }
}

/** Marks the connection as needing an admin, with the reason and the fix; syncing stops until it is saved again. */
export async function markNeedsAttention(
  db: Db,
  connectionId: string,
  error: SalesforceError,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await updateConnectionRow(trx, connectionId, {
      status: 'needs_attention',
      status_reason: error.message,
      status_hint: error.hint,
      status_changed_at: now,
    })
    await recordAuditEvent(trx, {
      actorUserId: null,
      action: 'crm.connection.needs_attention',
      targetType: 'crm_connection',
      targetId: connectionId,
      details: { reason: error.message, salesforceCode: error.salesforceCode ?? null },
    })
  })
}
