// Salesforce's OAuth 2.0 token endpoint, called directly (jsforce 3.10's OAuth2 has no client-credentials
// grant and hides the error codes we turn into setup advice). Request and response shapes, Salesforce Help:
// OAuth Endpoints https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_endpoints.htm
// Username-Password Flow https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_username_password_flow.htm
// Client Credentials Flow https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_client_credentials_flow.htm
// Refresh Token Flow https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_refresh_token_flow_ca.htm
// Web Server Flow (PKCE) https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_web_server_flow.htm
// OAuth Flow Errors https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_flow_errors.htm
import { createHash, randomBytes } from 'node:crypto'

import { z } from 'zod'

import { guardedFetch, type HttpDeps } from './guarded-fetch.js'
import { SalesforceError } from './salesforce-errors.js'

export interface OAuthApp {
  /** The org's My Domain URL (the Web Services URL of the setup form). */
  loginUrl: string
  consumerKey: string
  consumerSecret: string
}

export type Grant =
  | { type: 'password'; username: string; password: string; securityToken: string }
  | { type: 'client_credentials' }
  | { type: 'refresh_token'; refreshToken: string }
  | { type: 'authorization_code'; code: string; codeVerifier: string; redirectUri: string }

export interface TokenSet {
  accessToken: string
  instanceUrl: string
  identityUrl: string
  orgId: string
  userId: string
  issuedAt: Date
  refreshToken: string | undefined
  scope: string | undefined
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().min(1),
  id: z.string().min(1),
  token_type: z.string().optional(),
  issued_at: z.string().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
})

const ErrorResponseSchema = z.object({ error: z.string(), error_description: z.string().optional() })

function tokenUrl(loginUrl: string): string {
  return `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`
}

function grantParams(grant: Grant): Record<string, string> {
  switch (grant.type) {
    case 'password':
      // The security token is appended to the password (Salesforce Help "Username-Password Flow").
      return {
        grant_type: 'password',
        username: grant.username,
        password: grant.password + grant.securityToken,
      }
    case 'client_credentials':
      return { grant_type: 'client_credentials' }
    case 'refresh_token':
      return { grant_type: 'refresh_token', refresh_token: grant.refreshToken }
    case 'authorization_code':
      return {
        grant_type: 'authorization_code',
        code: grant.code,
        code_verifier: grant.codeVerifier,
        redirect_uri: grant.redirectUri,
      }
  }
}

export async function requestToken(deps: HttpDeps, app: OAuthApp, grant: Grant): Promise<TokenSet> {
  const body = new URLSearchParams({
    ...grantParams(grant),
    client_id: app.consumerKey,
    client_secret: app.consumerSecret,
  })
  const response = await guardedFetch(deps, tokenUrl(app.loginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  })
  const json = safeJson(response.body)
  if (!response.ok) throw tokenError(response.status, ErrorResponseSchema.safeParse(json).data, grant.type)
  const parsed = TokenResponseSchema.safeParse(json)
  if (!parsed.success) {
    throw new SalesforceError(
      'bad_response',
      "Salesforce's token endpoint answered with something that is not a token response.",
      'Check that the Web Services URL points at Salesforce (the My Domain URL).',
      undefined,
      response.status,
    )
  }
  const token = parsed.data
  // The instance we will talk to from now on must pass the same guard as the URL the admin typed.
  await deps.guard.check(token.instance_url)
  const [orgId = '', userId = ''] = new URL(token.id).pathname.split('/').slice(-2)
  return {
    accessToken: token.access_token,
    instanceUrl: token.instance_url.replace(/\/+$/, ''),
    identityUrl: token.id,
    orgId,
    userId,
    issuedAt: new Date(Number(token.issued_at ?? Date.now())),
    refreshToken: token.refresh_token,
    scope: token.scope,
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const TEN_MINUTE_NOTE = 'A newly created or edited connected app can take up to 10 minutes to become active.'

function tokenError(
  status: number,
  body: z.infer<typeof ErrorResponseSchema> | undefined,
  grantType: Grant['type'],
): SalesforceError {
  const code = body?.error
  const description = body?.error_description ?? ''
  switch (code) {
    case 'invalid_client_id':
      return new SalesforceError(
        'unknown_consumer_key',
        'Salesforce does not know this Consumer Key.',
        `Copy the Consumer Key again from Setup > App Manager > your connected app > View > Manage Consumer Details. ${TEN_MINUTE_NOTE}`,
        code,
        status,
      )
    case 'invalid_client':
      return new SalesforceError(
        'invalid_consumer_secret',
        'The Consumer Secret does not match the Consumer Key.',
        'Copy the Consumer Secret again from Setup > App Manager > your connected app > View > Manage Consumer Details.',
        code,
        status,
      )
    case 'unsupported_grant_type':
      return new SalesforceError(
        'flow_not_enabled',
        `This connected app or org does not allow the ${grantType.replace('_', ' ')} flow.`,
        'Enable the flow on the connected app (Setup > App Manager > Edit > OAuth settings) or pick another authentication method.',
        code,
        status,
      )
    case 'invalid_grant':
      return invalidGrant(status, description, grantType)
    case 'inactive_user':
      return new SalesforceError(
        'authentication_failed',
        'The Salesforce user is inactive.',
        'Reactivate the integration user in Setup > Users, or use another user.',
        code,
        status,
      )
    case 'inactive_org':
      return new SalesforceError(
        'authentication_failed',
        'The Salesforce org is locked, closed or suspended.',
        "Check the org's status with your Salesforce account executive.",
        code,
        status,
      )
    case 'rate_limit_exceeded':
      return new SalesforceError(
        'request_limit_exceeded',
        'Salesforce refused the sign-in: too many attempts.',
        'Wait a few minutes before trying again.',
        code,
        status,
      )
    default:
      if (status >= 500)
        return new SalesforceError(
          'server_error',
          `Salesforce's token endpoint answered ${status}.`,
          'Salesforce had a problem; try again in a few minutes.',
          code,
          status,
        )
      return new SalesforceError(
        'invalid_request',
        `Salesforce refused the sign-in (${code ?? `HTTP ${status}`}${description ? `: ${description}` : ''}).`,
        'Check every field of the setup form.',
        code,
        status,
      )
  }
}

function invalidGrant(status: number, description: string, grantType: Grant['type']): SalesforceError {
  if (grantType === 'refresh_token' || /expired|revoked/i.test(description)) {
    return new SalesforceError(
      'refresh_token_invalid',
      'Salesforce no longer accepts the stored refresh token (expired or revoked).',
      'Reconnect with "Connect with Salesforce". Check the connected app\'s refresh token policy (Setup > App Manager > Manage > Refresh Token Policy).',
      'invalid_grant',
      status,
    )
  }
  if (grantType === 'client_credentials') {
    return new SalesforceError(
      'flow_not_enabled',
      `Salesforce refused the client credentials flow (${description || 'invalid_grant'}).`,
      'On the connected app, enable "Client Credentials Flow" and set a "Run As" user (Setup > App Manager > Manage > Edit Policies > Client Credentials Flow). It must be called on the My Domain URL.',
      'invalid_grant',
      status,
    )
  }
  if (grantType === 'authorization_code') {
    return new SalesforceError(
      'authentication_failed',
      `Salesforce refused the authorization code (${description || 'invalid_grant'}).`,
      'Start "Connect with Salesforce" again; codes are single-use and expire after a few minutes. The callback URL on the connected app must match this server\'s.',
      'invalid_grant',
      status,
    )
  }
  return new SalesforceError(
    'authentication_failed',
    'Salesforce refused the username, password or security token (authentication failure).',
    'Either a credential is wrong — check the username, the password, and the security token (reset it in Salesforce under your personal settings > Reset My Security Token; it changes when the password changes) — or the org blocks this flow: orgs created since Summer \'23 block it by default (Setup > OAuth and OpenID Connect Settings > "Allow OAuth Username-Password Flows"). Setup > Login History shows which of the two it was. Prefer "Client credentials" or "Connect with Salesforce".',
    'invalid_grant',
    status,
  )
}

/** Revokes a token at Salesforce (Salesforce Help "Revoke OAuth Tokens": POST /services/oauth2/revoke, token=...). */
export async function revokeToken(deps: HttpDeps, baseUrl: string, token: string): Promise<void> {
  const response = await guardedFetch(deps, `${baseUrl.replace(/\/+$/, '')}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  })
  // 400 invalid_token means it was already revoked or expired: the outcome we wanted. A 5xx (or 429) may pass;
  // any other answer is a refusal that asking again will not change (kind invalid_request).
  if (!response.ok && response.status !== 400) {
    const transient = response.status >= 500 || response.status === 429
    throw new SalesforceError(
      transient ? 'server_error' : 'invalid_request',
      `Salesforce did not confirm the revocation (HTTP ${response.status}).`,
      "Revoke the module's access in Salesforce Setup > Connected Apps OAuth Usage.",
      undefined,
      response.status,
    )
  }
}

/** PKCE (RFC 7636) S256 pair. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  return { verifier, challenge }
}

export function buildAuthorizeUrl(
  app: Pick<OAuthApp, 'loginUrl' | 'consumerKey'>,
  redirectUri: string,
  state: string,
  codeChallenge: string,
): string {
  const url = new URL(`${app.loginUrl.replace(/\/+$/, '')}/services/oauth2/authorize`)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.consumerKey,
    redirect_uri: redirectUri,
    state,
    scope: 'api refresh_token',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  }).toString()
  return url.toString()
}
