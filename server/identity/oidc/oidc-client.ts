// The relying party, through openid-client 6 (a certified OpenID Connect client library): discovery, the
// authorization URL, the code exchange with every ID token check, userinfo and RP-initiated logout URLs.
// ID tokens are verified against the provider's published keys (enableNonRepudiationChecks), and each sign-in
// builds a fresh client, so the key set is read again every time: a rotated key works at once, a retired key
// is refused at once. Only the discovery document is kept, for ten minutes.
import * as oidc from 'openid-client'

import type { Clock } from '../../deps.js'

const DISCOVERY_TTL_MS = 10 * 60_000
const TIMEOUT_SECONDS = 10

export interface ProviderCredentials {
  issuer: string
  clientId: string
  clientSecret: string
}

interface CachedDiscovery {
  metadata: oidc.ServerMetadata
  fetchedAt: number
}

const discoveries = new Map<string, CachedDiscovery>()

/** http is accepted only for a provider on this machine (development, tests); anything else needs https. */
export function isAllowedIssuerUrl(issuer: string): boolean {
  const url = new URL(issuer)
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

/** Reads the discovery document (OpenID Connect Discovery 1.0 §4), checking its issuer is exactly ours. */
export async function discoverProvider(
  credentials: ProviderCredentials,
  options: { fresh?: boolean } = {},
): Promise<oidc.ServerMetadata> {
  const key = `${credentials.issuer} ${credentials.clientId}`
  const cached = discoveries.get(key)
  if (!options.fresh && cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.metadata
  const config = await oidc.discovery(
    new URL(credentials.issuer),
    credentials.clientId,
    undefined,
    undefined,
    {
      timeout: TIMEOUT_SECONDS,
      ...(isAllowedIssuerUrl(credentials.issuer) && credentials.issuer.startsWith('http:')
        ? { execute: [oidc.allowInsecureRequests] }
        : {}),
    },
  )
  const metadata = config.serverMetadata()
  discoveries.set(key, { metadata, fetchedAt: Date.now() })
  return metadata
}

/** A client for one sign-in: the cached discovery document, a fresh key set, our clock. */
export async function providerClient(
  credentials: ProviderCredentials,
  clock: Clock,
): Promise<oidc.Configuration> {
  const metadata = await discoverProvider(credentials)
  const methods = metadata.token_endpoint_auth_methods_supported
  // RFC 8414 §2: client_secret_basic is the default when the provider lists nothing.
  const useBasic = !methods || !methods.includes('client_secret_post')
  const config = new oidc.Configuration(
    metadata,
    credentials.clientId,
    {
      client_secret: credentials.clientSecret,
      // openid-client checks exp/iat/nbf against Date.now(); this keeps it on the app's clock.
      [oidc.clockSkew]: Math.round((clock.now().getTime() - Date.now()) / 1000),
    },
    useBasic
      ? oidc.ClientSecretBasic(credentials.clientSecret)
      : oidc.ClientSecretPost(credentials.clientSecret),
  )
  config.timeout = TIMEOUT_SECONDS
  if (credentials.issuer.startsWith('http:')) oidc.allowInsecureRequests(config)
  oidc.enableNonRepudiationChecks(config)
  return config
}

export interface AuthorizationRequest {
  url: string
  codeVerifier: string
  nonce: string
}

export async function authorizationRequest(
  config: oidc.Configuration,
  options: { redirectUri: string; scope: string; state: string },
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state: options.state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })
  return { url: url.href, codeVerifier, nonce }
}

export interface SignInTokens {
  idToken: string
  claims: Record<string, unknown>
}

/**
 * Exchanges the code and checks the ID token as OpenID Connect Core §3.1.3.7 requires: issuer, audience
 * (and azp), nonce, expiry and issue time, and the signature against the provider's current key set.
 * Claims the ID token lacks are read from userinfo, whose subject must match (§5.3.2).
 */
export async function exchangeCode(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { codeVerifier: string; nonce: string; state: string; redirectUri: string; wantedClaims: string[] },
): Promise<SignInTokens> {
  const tokens = await oidc.authorizationCodeGrant(
    config,
    callbackUrl,
    {
      pkceCodeVerifier: checks.codeVerifier,
      expectedNonce: checks.nonce,
      expectedState: checks.state,
      idTokenExpected: true,
    },
    { redirect_uri: checks.redirectUri },
  )
  const idClaims = tokens.claims()
  if (!tokens.id_token || !idClaims) throw new Error('the token response has no ID token')
  const claims: Record<string, unknown> = { ...idClaims }
  const missing = checks.wantedClaims.some((name) => claims[name] === undefined)
  if (missing && config.serverMetadata().userinfo_endpoint) {
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
    for (const [name, value] of Object.entries(userinfo)) claims[name] ??= value
  }
  return { idToken: tokens.id_token, claims }
}

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2), or null when the provider has none. */
export function endSessionUrl(
  config: oidc.Configuration,
  options: { idToken: string; postLogoutRedirectUri: string },
): string | null {
  if (!config.serverMetadata().end_session_endpoint) return null
  return oidc.buildEndSessionUrl(config, {
    id_token_hint: options.idToken,
    post_logout_redirect_uri: options.postLogoutRedirectUri,
  }).href
}
