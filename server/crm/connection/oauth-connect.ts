// "Connect with Salesforce": the authorization code flow with PKCE (RFC 7636, Salesforce Help "OAuth 2.0
// Web Server Flow"). The admin approves in Salesforce; the module keeps the refresh token, never a password.
// "Connect my Salesforce account" is the same flow for one workspace user on the connection's connected app
// (startUserLink, completeUserLink): their tokens are sealed to them and the connection (user-link.repository.ts).
import type { ConnectionSettings } from '../../../contracts/api/crm-connection.api.js'
import { hashToken, newToken } from '../../auth/tokens.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import { findConnectionById, type ConnectionRow } from './connection.repository.js'
import { saveConnectionSettings, usableStoredSecrets, type SaveResult } from './connection.service.js'
import { savePendingApproval, takePendingApproval } from './oauth-pending.repository.js'
import {
  openSecrets,
  pendingApprovalContext,
  userLinkContext,
  userLinkPendingContext,
} from './secret-binding.js'
import { saveUserLink } from './user-link.repository.js'

const PENDING_MINUTES = 10

interface PendingRequest {
  form: ConnectionSettings
  consumerSecret: string
  codeVerifier: string
}

export function oauthCallbackUrl(deps: AppDeps): string {
  return `${deps.config.http.publicUrl}/api/admin/crm/connection/oauth/callback`
}

export async function startOAuthConnect(
  deps: AppDeps,
  actorId: string,
  form: ConnectionSettings,
): Promise<string> {
  const url = await deps.crmProvider.checkUrl(form.webServicesUrl)
  // The stored consumer secret only for the origin and Consumer Key it was entered for (secret-binding.ts).
  const { stored, reenter } = await usableStoredSecrets(deps, form)
  const consumerSecret = form.consumerSecret || stored?.consumerSecret
  if (!consumerSecret) {
    const message = `Enter the Consumer Secret.${reenter ? ` ${reenter}` : ''}`
    throw new AppError('VALIDATION_FAILED', message, { consumerSecret: message })
  }
  const state = newToken()
  const authorize = deps.crmProvider.authorizeUrl(
    { loginUrl: url.origin, consumerKey: form.consumerKey },
    oauthCallbackUrl(deps),
    state,
  )
  const pending: PendingRequest = {
    form: { ...form, authMethod: 'authorization_code', password: undefined, securityToken: undefined },
    consumerSecret,
    codeVerifier: authorize.codeVerifier,
  }
  const now = deps.clock.now()
  await savePendingApproval(
    deps.db,
    {
      stateHash: hashToken(state),
      sealedRequest: deps.secrets.seal(JSON.stringify(pending), pendingApprovalContext(hashToken(state))),
      createdBy: actorId,
      expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000),
      purpose: 'connection',
    },
    now,
  )
  return authorize.url
}

export async function completeOAuthConnect(
  deps: AppDeps,
  actorId: string,
  input: {
    code?: string | undefined
    state: string
    error?: string | undefined
    error_description?: string | undefined
  },
): Promise<SaveResult> {
  const stateHash = hashToken(input.state)
  const row = await takePendingApproval(deps.db, stateHash, 'connection')
  if (!row || row.expires_at.getTime() < deps.clock.now().getTime() || row.created_by !== actorId) {
    throw new AppError(
      'VALIDATION_FAILED',
      'This approval link has expired or was already used. Start "Connect with Salesforce" again.',
    )
  }
  if (input.error || !input.code) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Salesforce did not grant access: ${input.error_description ?? input.error ?? 'no code returned'}.`,
    )
  }
  const pending = JSON.parse(
    deps.secrets.open(row.sealed_request, pendingApprovalContext(stateHash)),
  ) as PendingRequest
  const tokens = await deps.crmProvider.signIn(
    {
      loginUrl: pending.form.webServicesUrl,
      consumerKey: pending.form.consumerKey,
      consumerSecret: pending.consumerSecret,
    },
    {
      type: 'authorization_code',
      code: input.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: oauthCallbackUrl(deps),
    },
  )
  if (!tokens.refreshToken) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Salesforce returned no refresh token. Add the "Perform requests at any time (refresh_token, offline_access)" scope to the connected app.',
    )
  }
  return saveConnectionSettings(deps, actorId, pending.form, {
    consumerSecret: pending.consumerSecret,
    refreshToken: tokens.refreshToken,
  })
}

// --- "Connect my Salesforce account" -------------------------------------------------------------------

interface PendingUserLink {
  connectionId: string
  codeVerifier: string
}

/** What a user's link keeps, sealed (userLinkContext). */
export interface UserLinkTokens {
  accessToken: string
  refreshToken: string
}

export function userLinkCallbackUrl(deps: AppDeps): string {
  return `${deps.config.http.publicUrl}/api/crm/salesforce-account/oauth/callback`
}

const START_AGAIN = 'Start "Connect my Salesforce account" again.'

/** The Salesforce login URL for the user; the verifier waits sealed under the state's hash for ten minutes. */
export async function startUserLink(
  deps: AppDeps,
  userId: string,
  connection: ConnectionRow,
): Promise<string> {
  const state = newToken()
  const stateHash = hashToken(state)
  const authorize = deps.crmProvider.authorizeUrl(
    { loginUrl: connection.login_url, consumerKey: connection.consumer_key },
    userLinkCallbackUrl(deps),
    state,
  )
  const pending: PendingUserLink = { connectionId: connection.id, codeVerifier: authorize.codeVerifier }
  const now = deps.clock.now()
  await savePendingApproval(
    deps.db,
    {
      stateHash,
      sealedRequest: deps.secrets.seal(JSON.stringify(pending), userLinkPendingContext(stateHash)),
      createdBy: userId,
      expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000),
      purpose: 'user_link',
    },
    now,
  )
  return authorize.url
}

/**
 * Salesforce sent the user back: the state must be one this user started (once, within ten minutes), the
 * code is exchanged with the PKCE verifier, and the login must belong to the connection's org.
 */
export async function completeUserLink(
  deps: AppDeps,
  userId: string,
  input: {
    code?: string | undefined
    state: string
    error?: string | undefined
    error_description?: string | undefined
  },
): Promise<{ username: string | null }> {
  const stateHash = hashToken(input.state)
  const row = await takePendingApproval(deps.db, stateHash, 'user_link')
  if (!row || row.expires_at.getTime() < deps.clock.now().getTime() || row.created_by !== userId) {
    throw new AppError(
      'VALIDATION_FAILED',
      `This Salesforce login has expired or was already used. ${START_AGAIN}`,
    )
  }
  if (input.error || !input.code) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Salesforce did not connect your account: ${input.error_description ?? input.error ?? 'no code returned'}.`,
    )
  }
  const pending = JSON.parse(
    deps.secrets.open(row.sealed_request, userLinkPendingContext(stateHash)),
  ) as PendingUserLink
  const connection = await findConnectionById(deps.db, pending.connectionId)
  if (!connection || connection.status !== 'healthy') {
    throw new AppError('VALIDATION_FAILED', 'The Salesforce connection is not working now; ask an admin.')
  }
  const app = {
    loginUrl: connection.login_url,
    consumerKey: connection.consumer_key,
    consumerSecret: openSecrets(deps, connection).consumerSecret ?? '',
  }
  const tokens = await deps.crmProvider.signIn(app, {
    type: 'authorization_code',
    code: input.code,
    codeVerifier: pending.codeVerifier,
    redirectUri: userLinkCallbackUrl(deps),
  })
  const sameOrg = !connection.org_id || connection.org_id.slice(0, 15) === tokens.orgId.slice(0, 15)
  if (!sameOrg || !tokens.refreshToken) {
    await deps.crmProvider
      .revoke(tokens.instanceUrl, tokens.refreshToken ?? tokens.accessToken)
      .catch(() => undefined)
    throw new AppError(
      'VALIDATION_FAILED',
      sameOrg
        ? 'Salesforce returned no refresh token. Ask an admin to add the "Perform requests at any time (refresh_token, offline_access)" scope to the connected app.'
        : `That Salesforce login belongs to another org. Log in with your account in the org this workspace is connected to. ${START_AGAIN}`,
    )
  }
  const session = deps.crmProvider.openSession(tokens, {
    reauthenticate: () =>
      deps.crmProvider.signIn(app, { type: 'refresh_token', refreshToken: tokens.refreshToken ?? '' }),
  })
  const who = await session.userInfo()
  const place = { user_id: userId, connection_id: connection.id }
  const sealed: UserLinkTokens = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }
  const now = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    await saveUserLink(trx, {
      ...place,
      salesforce_user_id: tokens.userId,
      username: who.username ?? null,
      display_name: who.name ?? null,
      encrypted_tokens: deps.secrets.seal(JSON.stringify(sealed), userLinkContext(place)),
      instance_url: tokens.instanceUrl,
      connected_at: now,
      updated_at: now,
    })
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'crm.salesforce_account.connected',
      targetType: 'user',
      targetId: userId,
      details: { salesforceUserId: tokens.userId, username: who.username ?? null },
    })
  })
  return { username: who.username ?? null }
}
