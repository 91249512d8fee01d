// "Connect with Salesforce": the authorization code flow with PKCE (RFC 7636, Salesforce Help "OAuth 2.0
// Web Server Flow"). The admin approves in Salesforce; the module keeps the refresh token, never a password.
import type { ConnectionSettings } from '../../../contracts/api/crm-connection.api.js'
import { hashToken, newToken } from '../../auth/tokens.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { saveConnectionSettings, usableStoredSecrets, type SaveResult } from './connection.service.js'
import { savePendingApproval, takePendingApproval } from './oauth-pending.repository.js'
import { pendingApprovalContext } from './secret-binding.js'

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
