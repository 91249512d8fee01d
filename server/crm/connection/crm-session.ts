// The token lifecycle: reuse the stored access token until Salesforce answers 401 INVALID_SESSION_ID, then
// sign in again once (refresh token, client credentials or password grant) and replay. If signing in fails
// for a reason a person must fix, the connection is marked "needs attention" and callers stop: no retry storm.
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { CallPolicy, ChangeStreamAuth, CrmSession, TokenSet } from '../../providers/crm-provider.js'
import { isSalesforceError, type SalesforceErrorKind } from '../../providers/salesforce/salesforce-errors.js'
import { findConnectionById, updateConnectionRow, type ConnectionRow } from './connection.repository.js'
import { markNeedsAttention } from './connection.service.js'
import type { UserLinkTokens } from './oauth-connect.js'
import {
  MISPLACED_HINT,
  MisplacedSecretsError,
  openSecrets,
  sealSecrets,
  userLinkContext,
} from './secret-binding.js'
import {
  findUserLink,
  markUserLinkNeedsReconnect,
  updateUserLinkTokens,
  type UserLinkRow,
} from './user-link.repository.js'
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

/** A user's own Salesforce link that Salesforce no longer accepts; they must connect it again. */
export class UserLinkNeedsReconnectError extends Error {
  override readonly name = 'UserLinkNeedsReconnectError'
}

/** The connection row, if it is healthy (otherwise the reason an admin can act on). */
async function healthyConnection(deps: AppDeps, connectionId: string): Promise<ConnectionRow> {
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
  return row
}

/** The connection's CRM session: stored token, sign-in again on expiry, and `calls` (retries, budget) if given. */
export async function openCrmSession(
  deps: AppDeps,
  connectionId: string,
  options: { calls?: CallPolicy } = {},
): Promise<OpenSession> {
  const row = await healthyConnection(deps, connectionId)
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

/**
 * The session of a user's own Salesforce login ("Connect my Salesforce account"), or undefined when they
 * linked none. Their stored access token, then their refresh token on the connection's connected app when it
 * expires. Salesforce refusing that refresh token (revoked, expired, the user deactivated there) marks only
 * this link as needing reconnection; the org connection is never touched.
 */
export async function openUserCrmSession(
  deps: AppDeps,
  connectionId: string,
  userId: string,
): Promise<OpenSession | undefined> {
  const link = await findUserLink(deps.db, userId, connectionId)
  if (!link) return undefined
  const connection = await healthyConnection(deps, connectionId)
  if (link.status === 'needs_reconnect') throw new UserLinkNeedsReconnectError(link.status_reason ?? '')
  let tokens = JSON.parse(deps.secrets.open(link.encrypted_tokens, userLinkContext(link))) as UserLinkTokens
  const app = {
    loginUrl: connection.login_url,
    consumerKey: connection.consumer_key,
    consumerSecret: openPlacedSecrets(deps, connection).consumerSecret ?? '',
  }
  const reauthenticate = async (): Promise<TokenSet> => {
    let fresh: TokenSet
    try {
      fresh = await deps.crmProvider.signIn(app, { type: 'refresh_token', refreshToken: tokens.refreshToken })
    } catch (err) {
      if (isSalesforceError(err) && USER_MUST_RECONNECT.includes(err.kind))
        await forgetUserLink(deps, link, err.message)
      throw err
    }
    tokens = { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken ?? tokens.refreshToken }
    await updateUserLinkTokens(deps.db, link, {
      encrypted_tokens: deps.secrets.seal(JSON.stringify(tokens), userLinkContext(link)),
      instance_url: fresh.instanceUrl,
      updated_at: deps.clock.now(),
    })
    return fresh
  }
  const client = deps.crmProvider.openSession(
    { accessToken: tokens.accessToken, instanceUrl: link.instance_url },
    { reauthenticate },
  )
  return { client, connection }
}

/** What only the user can fix by connecting again (their grant, their Salesforce user). */
const USER_MUST_RECONNECT: readonly SalesforceErrorKind[] = ['refresh_token_invalid', 'authentication_failed']

async function forgetUserLink(deps: AppDeps, link: UserLinkRow, reason: string): Promise<void> {
  const marked = await markUserLinkNeedsReconnect(deps.db, link, reason, deps.clock.now())
  if (marked)
    deps.log.warn(
      { userId: link.user_id, connectionId: link.connection_id },
      "Salesforce refused a user's own refresh token; their link needs reconnecting",
    )
}
