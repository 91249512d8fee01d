import type { FastifyReply, FastifyRequest } from 'fastify'

import * as api from '../../../contracts/api/identity.api.js'
import { logout } from '../../auth/auth.service.js'
import type { AppDeps } from '../../deps.js'
import { clearSessionCookie, setSessionCookie, type Route } from '../../http/route.js'
import { endSessionUrl, providerClient } from './oidc-client.js'
import {
  CALLBACK_PATH,
  describeOidcSettings,
  enabledOidcSettings,
  postLogoutRedirectUri,
  saveOidcSettings,
} from './oidc-settings.service.js'
import { completeSignIn, startSignIn } from './oidc-sign-in.js'
import { findSessionIdToken } from './oidc.repository.js'
import { ID_TOKEN_CONTEXT } from './seal-contexts.js'

const STATE_COOKIE = 'crm_oidc_state'
const STATE_COOKIE_SECONDS = 600

export function registerOidcRoutes(route: Route, deps: AppDeps): void {
  route(api.getSignInOptions, async () => {
    const settings = await enabledOidcSettings(deps)
    return {
      oidc: settings ? { displayName: settings.displayName, startUrl: api.startOidcSignIn.path } : null,
      ssoOnly: settings?.ssoOnly ?? false,
    }
  })

  route(api.startOidcSignIn, async ({ query, request, reply }) => {
    const started = await startSignIn(deps, safeNextPath(query.next) ?? '/')
    if (!started.ok) return reply.redirect(loginPageWith(started.refusal.reason), 303)
    // Bound to this browser: the callback must come back with the same state in this cookie.
    void reply.setCookie(STATE_COOKIE, started.state, {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: STATE_COOKIE_SECONDS,
    })
    return reply.redirect(started.url, 303)
  })

  route(api.completeOidcSignIn, async ({ query, request, reply, client }) => {
    const result = await completeSignIn(deps, {
      callbackUrl: callbackUrlOf(deps, request),
      state: query.state,
      stateCookie: request.cookies[STATE_COOKIE],
      error: query.error,
      errorDescription: query.error_description,
      client,
    })
    clearStateCookie(request, reply)
    if (!result.ok) return reply.redirect(loginPageWith(result.refusal.reason), 303)
    setSessionCookie(request, reply, result.session)
    return reply.redirect(result.next, 303)
  })

  route(api.oidcLogout, async ({ auth, request, reply }) => {
    if (auth.status !== 'signed-in') return { redirectUrl: null }
    const stored = await findSessionIdToken(deps.db, auth.tokenHash)
    await logout(deps, auth.tokenHash)
    clearSessionCookie(request, reply)
    return { redirectUrl: stored ? await providerLogoutUrl(deps, stored) : null }
  })

  route(api.getOidcSettings, async () => describeOidcSettings(deps))
  route(api.saveOidcSettings, async ({ body, user }) => saveOidcSettings(deps, user.id, body))
}

async function providerLogoutUrl(
  deps: AppDeps,
  stored: { sealed_id_token: string; issuer: string },
): Promise<string | null> {
  const settings = await enabledOidcSettings(deps)
  if (!settings || settings.issuer !== stored.issuer) return null
  try {
    const config = await providerClient(settings, deps.clock)
    return endSessionUrl(config, {
      idToken: deps.secrets.open(stored.sealed_id_token, ID_TOKEN_CONTEXT),
      postLogoutRedirectUri: postLogoutRedirectUri(deps),
    })
  } catch (err) {
    // Signed out here either way; the provider's session simply stays.
    deps.log.warn({ err }, 'the identity provider could not be asked for its logout URL')
    return null
  }
}

// The URL the provider redirected the browser to, as the browser saw it (PUBLIC_URL + path and query), so
// the redirect_uri of the code exchange is exactly the registered one.
function callbackUrlOf(deps: AppDeps, request: FastifyRequest): URL {
  return new URL(request.url, deps.config.http.publicUrl)
}

function loginPageWith(reason: api.SsoFailureReason): string {
  return `/login?ssoError=${reason}`
}

function clearStateCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(STATE_COOKIE, {
    path: CALLBACK_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  })
}

/** Only same-site paths: a crafted link must not bounce someone to another site after signing in. */
function safeNextPath(next: string | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined
  if (/^\/(login|setup|reset-password|api\/)/.test(next)) return undefined
  return next
}
