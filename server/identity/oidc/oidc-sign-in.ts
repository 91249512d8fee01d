// "Sign in with <provider>": the authorization code flow with PKCE (RFC 7636) and a nonce. The state is
// random, kept hashed with the sealed PKCE verifier and nonce for ten minutes, and also set as a cookie on
// the browser that started, so a callback carried to another browser (login CSRF) is refused.
import { timingSafeEqual } from 'node:crypto'

import { recordAuditEvent } from '../../audit/audit.repository.js'
import { openSession, type OpenedSession } from '../../auth/auth.service.js'
import type { ClientInfo } from '../../http/request-auth.js'
import { hashToken, newToken } from '../../auth/tokens.js'
import type { AppDeps } from '../../deps.js'
import { updateUserRow } from '../../users/users.repository.js'
import { readIdentity, resolveAccount } from './oidc-accounts.js'
import { authorizationRequest, exchangeCode, providerClient } from './oidc-client.js'
import { enabledOidcSettings, redirectUri, type OidcSettings } from './oidc-settings.service.js'
import { insertPendingSignIn, rememberSessionIdToken, takePendingSignIn } from './oidc.repository.js'
import { ID_TOKEN_CONTEXT, PENDING_SIGN_IN_CONTEXT } from './seal-contexts.js'
import { describeExchangeError, hintFor, refusal, type SignInRefusal } from './sign-in-refusal.js'

const PENDING_MINUTES = 10

interface PendingSignIn {
  issuer: string
  clientId: string
  codeVerifier: string
  nonce: string
  next: string
}

export type StartResult = { ok: true; url: string; state: string } | { ok: false; refusal: SignInRefusal }

export async function startSignIn(deps: AppDeps, next: string): Promise<StartResult> {
  const settings = await enabledOidcSettings(deps)
  if (!settings)
    return {
      ok: false,
      refusal: refusal('not_configured', 'Sign-in was started while it is off.', hintFor('not_configured')),
    }
  const state = newToken()
  let request
  try {
    const config = await providerClient(settings, deps.clock)
    request = await authorizationRequest(config, {
      redirectUri: redirectUri(deps),
      scope: settings.scopes,
      state,
    })
  } catch (err) {
    return { ok: false, refusal: describeExchangeError(err) }
  }
  const pending: PendingSignIn = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    codeVerifier: request.codeVerifier,
    nonce: request.nonce,
    next,
  }
  const now = deps.clock.now()
  await insertPendingSignIn(deps.db, {
    stateHash: hashToken(state),
    sealedRequest: deps.secrets.seal(JSON.stringify(pending), PENDING_SIGN_IN_CONTEXT),
    expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000),
    now,
  })
  return { ok: true, url: request.url, state }
}

export type CompleteResult =
  { ok: true; session: OpenedSession; next: string } | { ok: false; refusal: SignInRefusal; userId?: string }

export async function completeSignIn(
  deps: AppDeps,
  input: {
    callbackUrl: URL
    state: string | undefined
    stateCookie: string | undefined
    error: string | undefined
    errorDescription: string | undefined
    client: ClientInfo
  },
): Promise<CompleteResult> {
  const outcome = await checkCallback(deps, input)
  if (!outcome.ok) {
    await recordAuditEvent(deps.db, {
      actorUserId: null,
      action: 'identity.oidc.sign_in_refused',
      targetType: 'user',
      ...(outcome.userId ? { targetId: outcome.userId } : {}),
      details: { ...outcome.refusal, ip: input.client.ip },
    })
    return { ok: false, refusal: outcome.refusal }
  }
  return outcome
}

async function checkCallback(
  deps: AppDeps,
  input: Parameters<typeof completeSignIn>[1],
): Promise<CompleteResult> {
  if (input.error) {
    const detail = `The provider answered ${input.error}${input.errorDescription ? `: ${input.errorDescription}` : ''}.`
    return { ok: false, refusal: refusal('provider_error', detail.slice(0, 500), hintFor('provider_error')) }
  }
  const state = input.state ?? ''
  const pendingRow =
    state && input.stateCookie && safeEqual(state, input.stateCookie)
      ? await takePendingSignIn(deps.db, hashToken(state), deps.clock.now())
      : undefined
  if (!pendingRow) {
    return {
      ok: false,
      refusal: refusal(
        'state_mismatch',
        'The state is unknown, expired, used, or from another browser.',
        hintFor('state_mismatch'),
      ),
    }
  }
  const pending = JSON.parse(
    deps.secrets.open(pendingRow.sealedRequest, PENDING_SIGN_IN_CONTEXT),
  ) as PendingSignIn
  const settings = await enabledOidcSettings(deps)
  if (!settings || settings.issuer !== pending.issuer || settings.clientId !== pending.clientId) {
    return {
      ok: false,
      refusal: refusal(
        'not_configured',
        'The provider settings changed during the sign-in.',
        hintFor('not_configured'),
      ),
    }
  }
  let tokens
  try {
    const config = await providerClient(settings, deps.clock)
    tokens = await exchangeCode(config, input.callbackUrl, {
      codeVerifier: pending.codeVerifier,
      nonce: pending.nonce,
      state,
      redirectUri: redirectUri(deps),
      wantedClaims: [
        settings.emailClaim,
        settings.nameClaim,
        ...(settings.adminGroup ? [settings.groupsClaim] : []),
      ],
    })
  } catch (err) {
    return { ok: false, refusal: describeExchangeError(err) }
  }
  const identity = readIdentity(settings, tokens.claims)
  if ('reason' in identity) return { ok: false, refusal: identity }
  return signIn(deps, settings, {
    identity,
    idToken: tokens.idToken,
    client: input.client,
    next: pending.next,
  })
}

async function signIn(
  deps: AppDeps,
  settings: OidcSettings,
  input: {
    identity: Exclude<ReturnType<typeof readIdentity>, SignInRefusal>
    idToken: string
    client: ClientInfo
    next: string
  },
): Promise<CompleteResult> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now()
    const account = await resolveAccount(trx, settings, input.identity, now)
    if (!account.ok) return account
    const { user } = account
    await updateUserRow(trx, user.id, { last_login_at: now })
    const session = await openSession(
      deps,
      trx,
      { id: user.id, name: user.name, email: user.email, role: user.role },
      input.client,
    )
    await rememberSessionIdToken(trx, {
      sessionTokenHash: hashToken(session.token),
      sealedIdToken: deps.secrets.seal(input.idToken, ID_TOKEN_CONTEXT),
      issuer: settings.issuer,
    })
    await recordAuditEvent(trx, {
      actorUserId: user.id,
      action: 'identity.oidc.signed_in',
      targetType: 'user',
      targetId: user.id,
      details: {
        issuer: settings.issuer,
        subject: input.identity.subject,
        how: account.how,
        ip: input.client.ip,
      },
    })
    return { ok: true, session, next: input.next }
  })
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
