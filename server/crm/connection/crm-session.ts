// The token lifecycle: reuse the stored access token until Salesforce answers 401 INVALID_SESSION_ID, then
// sign in again once (refresh token, client credentials or password grant) and replay. If signing in fails
// for a reason a person must fix, the connection is marked "needs attention" and callers stop: no retry storm.
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { CallPolicy, ChangeStreamAuth, CrmSession, TokenSet } from '../../providers/crm-provider.js'
import { isSalesforceError, type SalesforceErrorKind } from '../../providers/salesforce/salesforce-errors.js'
import { findConnectionById, updateConnectionRow, type ConnectionRow } from './connection.repository.js'
import { markNeedsAttention } from './connection.service.js'
import { MISPLACED_HINT, MisplacedSecretsError, openSecrets, sealSecrets } from './secret-binding.js'
import { grantFor, type ResolvedSettings, type StoredSecrets } from './resolved-settings.js'

/** Failures no retry can fix: credentials, app configuration, or the URL. */
const NEEDS_A_PERSON: readonly SalesforceErrorKind[] = [
  'authentication_failed',
  'refresh_token_invalid',
  'unknown_consumer_key',
  'invalid_consumer_secret',
  'flow_not_enabled',
  'url_not_allowed',
]

export class ConnectionUnavailableError extends Error {
  override readonly name = 'ConnectionUnavailableError'
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message)
  }
}

export function settingsFromRow(row: ConnectionRow, secrets: StoredSecrets): ResolvedSettings {
  return {
    authMethod: row.auth_method,
    webServicesUrl: row.login_url,
    loginUrl: row.login_url,
    consumerKey: row.consumer_key,
    consumerSecret: secrets.consumerSecret ?? '',
    username: row.username ?? undefined,
    password: secrets.password,
    securityToken: secrets.securityToken,
    refreshToken: secrets.refreshToken,
  }
}

export interface OpenSession {
  client: CrmSession
  connection: ConnectionRow
}

/** The connection's CRM session: stored token, sign-in again on expiry, and `calls` (retries, budget) if given. */
export async function openCrmSession(
  deps: AppDeps,
  connectionId: string,
  options: { calls?: CallPolicy } = {},
): Promise<OpenSession> {
  const row = await findConnectionById(deps.db, connectionId)
  if (!row) throw new AppError('NOT_FOUND', 'The CRM connection was not found.')
  if (row.status !== 'healthy') {
    throw new ConnectionUnavailableError(
      row.status === 'disconnected'
        ? 'The CRM connection is disconnected.'
        : `The CRM connection needs attention: ${row.status_reason ?? 'unknown reason'}`,
      row.status_hint ?? 'Open Module Settings > Setup, fix the settings and Save Settings.',
    )
  }
  const secrets = openPlacedSecrets(deps, row)
  const settings = settingsFromRow(row, secrets)
  const reauthenticate = () => signInAgain(deps, row.id, settings)
  const tokens =
    secrets.accessToken && row.instance_url
      ? { accessToken: secrets.accessToken, instanceUrl: row.instance_url }
      : await reauthenticate()
  const client = deps.crmProvider.openSession(tokens, { reauthenticate, calls: options.calls })
  return { client, connection: row }
}

/** Secrets that do not open where they are stop the session with the reason an admin can act on. */
function openPlacedSecrets(deps: AppDeps, row: ConnectionRow): StoredSecrets {
  try {
    return openSecrets(deps, row)
  } catch (err) {
    if (err instanceof MisplacedSecretsError)
      throw new ConnectionUnavailableError(err.message, MISPLACED_HINT)
    throw err
  }
}

/** What the change stream signs in with: the stored token, and signing in again when it is refused. */
export async function openStreamAuth(
  deps: AppDeps,
  connectionId: string,
): Promise<{ auth: ChangeStreamAuth; reauthenticate: () => Promise<ChangeStreamAuth> }> {
  const { connection } = await openCrmSession(deps, connectionId)
  const secrets = openPlacedSecrets(deps, connection)
  const settings = settingsFromRow(connection, secrets)
  const reauthenticate = async (): Promise<ChangeStreamAuth> => {
    const tokens = await signInAgain(deps, connection.id, settings)
    return { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl, orgId: tokens.orgId }
  }
  if (!secrets.accessToken || !connection.instance_url || !connection.org_id)
    return { auth: await reauthenticate(), reauthenticate }
  return {
    auth: {
      accessToken: secrets.accessToken,
      instanceUrl: connection.instance_url,
      orgId: connection.org_id,
    },
    reauthenticate,
  }
}

async function signInAgain(
  deps: AppDeps,
  connectionId: string,
  settings: ResolvedSettings,
): Promise<TokenSet> {
  let tokens: TokenSet
  try {
    tokens = await deps.crmProvider.signIn(settings, grantFor(settings))
  } catch (err) {
    if (isSalesforceError(err) && NEEDS_A_PERSON.includes(err.kind)) {
      await markNeedsAttention(deps.db, connectionId, err, deps.clock.now())
      deps.log.warn(
        { connectionId, kind: err.kind, salesforceCode: err.salesforceCode },
        'Salesforce sign-in failed; connection needs attention',
      )
    }
    throw err
  }
  // Keep the new access token (and a rotated refresh token, if the app rotates them) for the next run.
  await deps.db.transaction().execute(async (trx) => {
    const current = await findConnectionById(trx, connectionId)
    if (!current || current.status === 'disconnected') return
    const stored = openSecrets(deps, current)
    const next: StoredSecrets = {
      ...stored,
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    }
    await updateConnectionRow(trx, connectionId, {
      encrypted_secrets: sealSecrets(deps, current, next),
      instance_url: tokens.instanceUrl,
    })
  })
  deps.log.info({ connectionId }, 'signed in to Salesforce again')
  return tokens
}
