// OAuth 2.0 endpoints (Salesforce Help "OAuth Endpoints", the username-password, client credentials, refresh
// token and web server (PKCE) flows, "OAuth Flow Errors", https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_flow_errors.htm). Success bodies carry access_token,
// instance_url, id, token_type, issued_at (ms, as a string), signature and scope, refresh_token only where
// Salesforce issues one, and never expires_in (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_username_password_flow.htm).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { baseUrl } from '../http/base-url.js'
import { authenticate } from '../http/guard.js'
import { sendJson, sendOAuthError } from '../http/errors.js'
import type { ConnectedApp } from '../org/auth-state.js'
import type { Org } from '../org/org.js'
import { renderConsentPage } from './consent-page.js'
import { identity } from './oauth-identity.js'

type Params = Record<string, string>

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Client id and secret from the body or from HTTP Basic (documented for the refresh flow,
 * https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_refresh_token_flow_ca.htm). */
function clientCredentials(
  request: FastifyRequest,
  params: Params,
): { clientId?: string; clientSecret?: string } {
  const header = request.headers.authorization
  if (typeof header === 'string' && header.startsWith('Basic ')) {
    const [clientId, clientSecret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')
    return {
      ...(clientId ? { clientId: decodeURIComponent(clientId) } : {}),
      ...(clientSecret ? { clientSecret: decodeURIComponent(clientSecret) } : {}),
    }
  }
  return {
    ...(params['client_id'] ? { clientId: params['client_id'] } : {}),
    ...(params['client_secret'] ? { clientSecret: params['client_secret'] } : {}),
  }
}

function tokenResponse(
  org: Org,
  request: FastifyRequest,
  app: ConnectedApp,
  userId: string,
  refreshToken: string | null,
  scope: string,
  returnRefreshToken: boolean,
) {
  const session = org.auth.openSession(userId, app.consumerKey, refreshToken)
  const base = baseUrl(request)
  const id = `${base}/id/${org.id}/${userId}`
  const issuedAt = String(session.issuedAt)
  // HMAC-SHA256 over id + issued_at keyed with the consumer secret (the token response's "signature"; exact recipe UNCONFIRMED).
  const signature = createHmac('sha256', app.consumerSecret)
    .update(id + issuedAt)
    .digest('base64')
  return {
    access_token: session.accessToken,
    ...(returnRefreshToken && refreshToken ? { refresh_token: refreshToken } : {}),
    signature,
    scope,
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  }
}

export function registerOAuthRoutes(app: FastifyInstance, org: Org): void {
  app.post('/services/oauth2/token', async (request, reply) => {
    const params = (request.body ?? {}) as Params
    const grantType = params['grant_type']
    const { clientId, clientSecret } = clientCredentials(request, params)
    const known = ['password', 'client_credentials', 'refresh_token', 'authorization_code']
    if (!grantType || !known.includes(grantType))
      return sendOAuthError(reply, 400, 'unsupported_grant_type', 'grant type not supported')
    const connectedApp = clientId ? org.auth.apps.get(clientId) : undefined
    if (!connectedApp || connectedApp.activeAfter > org.now())
      return sendOAuthError(reply, 400, 'invalid_client_id', 'client identifier invalid')
    const secretRequired = grantType !== 'refresh_token' || clientSecret !== undefined
    if (secretRequired && !safeEqual(clientSecret ?? '', connectedApp.consumerSecret)) {
      return sendOAuthError(reply, 400, 'invalid_client', 'invalid client credentials')
    }
    switch (grantType) {
      case 'password':
        return passwordGrant(org, request, reply, connectedApp, params)
      case 'client_credentials':
        return clientCredentialsGrant(org, request, reply, connectedApp)
      case 'refresh_token':
        return refreshGrant(org, request, reply, connectedApp, params)
      default:
        return authorizationCodeGrant(org, request, reply, connectedApp, params)
    }
  })

  app.get('/services/oauth2/authorize', async (request, reply) => {
    const query = request.query as Params
    const connectedApp = org.auth.apps.get(query['client_id'] ?? '')
    if (!connectedApp || query['response_type'] !== 'code' || !query['redirect_uri']) {
      return reply
        .code(400)
        .type('text/html')
        .send(
          '<h1>OAuth error</h1><p>error=invalid_client_id: client identifier invalid or missing redirect_uri</p>',
        )
    }
    if (connectedApp.autoApprove)
      return redirectWithCode(org, reply, connectedApp, org.integrationUserId, query)
    return reply.type('text/html').send(renderConsentPage(org.name, query, null))
  })

  app.post('/services/oauth2/authorize', async (request, reply) => {
    const form = (request.body ?? {}) as Params
    const connectedApp = org.auth.apps.get(form['client_id'] ?? '')
    if (!connectedApp || !form['redirect_uri'])
      return reply.code(400).type('text/html').send('<h1>OAuth error</h1>')
    if (form['decision'] !== 'allow') {
      const target = new URL(form['redirect_uri'])
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'end-user denied authorization')
      if (form['state']) target.searchParams.set('state', form['state'])
      return reply.redirect(target.toString(), 302)
    }
    const user = org.auth.findUserByUsername(form['username'] ?? '')
    if (!user || !user.isActive || user.password !== form['password']) {
      return reply
        .code(200)
        .type('text/html')
        .send(renderConsentPage(org.name, form, 'Please check your username and password.'))
    }
    return redirectWithCode(org, reply, connectedApp, user.id, form)
  })

  // Revocation by POST (form body `token=`) or GET (`?token=`): 200 on success, 400 invalid_token otherwise
  // ("Revoke OAuth Tokens Programmatically", "Revoke Tokens with a POST Request" / "with a GET Request",
  // https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_revoke_token.htm). The page also
  // offers a JSONP `callback` parameter for GET; the emulator does not write JavaScript.
  const revoke = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = { ...((request.query ?? {}) as Params), ...((request.body ?? {}) as Params) }
    if (!params['token'] || !org.auth.revoke(params['token']))
      return sendOAuthError(reply, 400, 'invalid_token', 'invalid token')
    return reply.code(200).send()
  }
  app.post('/services/oauth2/revoke', revoke)
  app.get('/services/oauth2/revoke', revoke)

  app.get('/services/oauth2/userinfo', async (request, reply) => {
    const session = authenticate(org, request, reply)
    if (!session) return reply
    return sendJson(reply, 200, identity(org, request, session.userId, 'userinfo'))
  })

  app.get('/id/:orgId/:userId', async (request, reply) => {
    const session = authenticate(org, request, reply)
    if (!session) return reply
    const { userId } = request.params as { userId: string }
    if (userId !== session.userId) return sendOAuthError(reply, 403, 'Bad_Id', 'Bad id')
    return sendJson(reply, 200, identity(org, request, userId, 'identity'))
  })
}

function passwordGrant(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
  app: ConnectedApp,
  params: Params,
) {
  const user = org.auth.findUserByUsername(params['username'] ?? '')
  // A blocked flow answers exactly like a wrong password (Login History says "Username-Password Flow Disabled"): invalid_grant / authentication failure.
  const credentialsMatch = user && (params['password'] ?? '') === user.password + user.securityToken
  if (org.auth.blockUsernamePasswordFlow || !app.flows.has('password') || !user || !credentialsMatch) {
    return sendOAuthError(reply, 400, 'invalid_grant', 'authentication failure')
  }
  // `inactive_user` is listed in https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_flow_errors.htm; its description is UNCONFIRMED.
  if (!user.isActive) return sendOAuthError(reply, 400, 'inactive_user', 'user is inactive')
  return sendJson(reply, 200, tokenResponse(org, request, app, user.id, null, 'api', false))
}

function clientCredentialsGrant(org: Org, request: FastifyRequest, reply: FastifyReply, app: ConnectedApp) {
  const runAs = app.runAsUserId ? org.auth.users.get(app.runAsUserId) : undefined
  if (!app.flows.has('client_credentials') || !runAs)
    return sendOAuthError(reply, 400, 'invalid_grant', 'no client credentials user enabled')
  if (!runAs.isActive) return sendOAuthError(reply, 400, 'inactive_user', 'user is inactive')
  return sendJson(reply, 200, tokenResponse(org, request, app, runAs.id, null, 'api', false))
}

function refreshGrant(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
  app: ConnectedApp,
  params: Params,
) {
  const grant = org.auth.refreshGrants.get(params['refresh_token'] ?? '')
  const user = grant ? org.auth.users.get(grant.userId) : undefined
  if (!grant || grant.revoked || grant.consumerKey !== app.consumerKey || !user?.isActive) {
    return sendOAuthError(reply, 400, 'invalid_grant', 'expired access/refresh token')
  }
  let token = grant.token
  if (app.rotateRefreshTokens) {
    org.auth.revoke(grant.token)
    token = org.auth.newRefreshToken(user.id, app.consumerKey)
  }
  return sendJson(
    reply,
    200,
    tokenResponse(org, request, app, user.id, token, 'api refresh_token', app.rotateRefreshTokens),
  )
}

function authorizationCodeGrant(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
  app: ConnectedApp,
  params: Params,
) {
  const code = org.auth.codes.get(params['code'] ?? '')
  org.auth.codes.delete(params['code'] ?? '')
  if (
    !app.flows.has('authorization_code') ||
    !code ||
    code.consumerKey !== app.consumerKey ||
    code.expiresAt <= org.now()
  ) {
    return sendOAuthError(reply, 400, 'invalid_grant', 'invalid authorization code')
  }
  if (code.redirectUri !== params['redirect_uri'])
    return sendOAuthError(reply, 400, 'invalid_grant', 'redirect_uri must match configuration')
  if (code.codeChallenge) {
    const verifier = params['code_verifier'] ?? ''
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    if (!safeEqual(challenge, code.codeChallenge))
      return sendOAuthError(reply, 400, 'invalid_grant', 'invalid code verifier')
  }
  const refreshToken = org.auth.newRefreshToken(code.userId, app.consumerKey)
  return sendJson(
    reply,
    200,
    tokenResponse(org, request, app, code.userId, refreshToken, 'api refresh_token', true),
  )
}

function redirectWithCode(org: Org, reply: FastifyReply, app: ConnectedApp, userId: string, params: Params) {
  const code = `aPrx${randomBytes(24).toString('base64url')}`
  // Authorization codes are single-use and short-lived (~5 minutes, UNCONFIRMED).
  org.auth.codes.set(code, {
    code,
    userId,
    consumerKey: app.consumerKey,
    redirectUri: params['redirect_uri'] ?? '',
    codeChallenge: params['code_challenge'] ?? null,
    expiresAt: org.now() + 5 * 60_000,
  })
  const target = new URL(params['redirect_uri'] ?? '')
  target.searchParams.set('code', code)
  if (params['state']) target.searchParams.set('state', params['state'])
  return reply.redirect(target.toString(), 302)
}
