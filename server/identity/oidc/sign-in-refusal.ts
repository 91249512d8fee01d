// A refused sign-in with the identity provider: a reason the person sees (a fixed message on the login page),
// and a detail with a hint for the admin (audit log, shown under Identity settings). Never a token or secret.
import * as oidc from 'openid-client'

import type { SsoFailureReason } from '../../../contracts/api/identity.api.js'

export interface SignInRefusal {
  reason: SsoFailureReason
  /** What happened, for the admin. */
  detail: string
  hint: string
}

export function refusal(reason: SsoFailureReason, detail: string, hint: string): SignInRefusal {
  return { reason, detail, hint }
}

const HINTS: Record<SsoFailureReason, string> = {
  not_configured: 'Turn on sign-in with the identity provider under Identity settings.',
  provider_error: 'Check that the person is assigned to the application at the identity provider.',
  provider_unreachable: 'Check the issuer URL, and that this server can reach the identity provider.',
  state_mismatch: 'Usually harmless: an old sign-in link, a reused one, or one started in another browser.',
  token_rejected:
    'Check the client id and the issuer. Signing keys are read again at every sign-in, so a rotated key works at once; a key the provider no longer publishes is refused.',
  domain_not_allowed: 'Add the domain to Allowed email domains if these people should sign in.',
  email_missing: 'Add the email scope, or set "Email claim" to the claim your provider uses.',
  email_not_verified:
    'Verify the address at the identity provider. Entra ID sends no email_verified: add the optional claim xms_edov.',
  no_account: 'Turn on just-in-time creation, provision the person by SCIM, or add them under Users.',
  already_linked:
    'The account is linked to another identity of this provider. Remove the other identity at the provider, or ask for support.',
  account_disabled: 'Reactivate the user under Users if they should have access.',
}

export function hintFor(reason: SsoFailureReason): string {
  return HINTS[reason]
}

/** Translates what openid-client threw during the code exchange. */
export function describeExchangeError(err: unknown): SignInRefusal {
  if (err instanceof oidc.ResponseBodyError) {
    return refusal(
      'provider_error',
      `The token endpoint answered ${err.status} ${err.error}${err.error_description ? `: ${err.error_description}` : ''}.`,
      err.error === 'invalid_client'
        ? 'The provider refused the client id or secret: enter the client secret again under Identity settings.'
        : HINTS.provider_error,
    )
  }
  if (err instanceof oidc.AuthorizationResponseError) {
    return refusal('provider_error', `The provider answered ${err.error}.`, HINTS.provider_error)
  }
  if (err instanceof oidc.ClientError && err.code !== undefined && !isNetworkError(err.cause)) {
    const claim = claimOf(err.cause)
    return refusal(
      'token_rejected',
      `The ID token failed a check (${err.code}${claim ? `, claim ${claim}` : ''}): ${err.message}.`,
      HINTS.token_rejected,
    )
  }
  if (isNetworkError(err) || (err instanceof oidc.ClientError && isNetworkError(err.cause))) {
    return refusal(
      'provider_unreachable',
      `The provider could not be reached: ${messageOf(err)}.`,
      HINTS.provider_unreachable,
    )
  }
  return refusal('token_rejected', `The sign-in failed: ${messageOf(err)}.`, HINTS.token_rejected)
}

function isNetworkError(err: unknown): boolean {
  return (
    err instanceof TypeError ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  )
}

// openid-client wraps oauth4webapi's error, whose cause names the claim that failed.
function claimOf(cause: unknown, depth = 0): string | undefined {
  if (!cause || typeof cause !== 'object' || depth > 2) return undefined
  if ('claim' in cause && typeof cause.claim === 'string') return cause.claim
  return 'cause' in cause ? claimOf(cause.cause, depth + 1) : undefined
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
