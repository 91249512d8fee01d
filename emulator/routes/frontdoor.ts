// Single Access UI Bridge API (Salesforce Help "Generate a Frontdoor URL to Bridge into UI Sessions",
// xcloud.frontdoor_singleaccess.htm): `GET /services/oauth2/singleaccess[?redirect_uri=<relative path>]` with a
// Bearer token answers `{"frontdoor_uri": "<instance>/secur/frontdoor.jsp?otp=…"}`, a single-use URL that opens a
// browser session and then sends the user to redirect_uri. `sf org open` uses it (sfdx-core src/org/org.ts,
// getFrontDoorUrl, reads only `frontdoor_uri`). The otp/startURL parameter names follow frontdoor.jsp; the lifetime
// of an unused URL is UNCONFIRMED (5 minutes here). The emulator's pages need no browser session, so
// frontdoor.jsp only checks and spends the otp, then redirects.
import { randomBytes } from 'node:crypto'

import type { FastifyInstance } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { authenticate } from '../http/guard.js'
import type { Org } from '../org/org.js'
import { baseUrl } from '../http/base-url.js'

const OTP_LIFETIME_MS = 5 * 60 * 1000

export function registerFrontdoorRoutes(app: FastifyInstance, org: Org): void {
  const otps = new Map<string, { startUrl: string | undefined; expiresAt: number }>()

  app.get('/services/oauth2/singleaccess', async (request, reply) => {
    if (!authenticate(org, request, reply)) return reply
    const redirect = (request.query as Record<string, unknown>)['redirect_uri']
    const startUrl =
      typeof redirect === 'string' && redirect !== '' ? `/${redirect.replace(/^\/+/, '')}` : undefined
    if (startUrl?.startsWith('//')) return sendError(reply, 400, 'INVALID_INPUT', 'invalid redirect_uri')
    const otp = randomBytes(24).toString('base64url')
    const now = org.now()
    for (const [key, entry] of otps) if (entry.expiresAt <= now) otps.delete(key)
    otps.set(otp, { startUrl, expiresAt: now + OTP_LIFETIME_MS })
    const query = new URLSearchParams({ otp, ...(startUrl ? { startURL: startUrl } : {}) })
    return sendJson(reply, 200, {
      frontdoor_uri: `${baseUrl(request)}/secur/frontdoor.jsp?${query.toString()}`,
    })
  })

  app.get('/secur/frontdoor.jsp', async (request, reply) => {
    const otp = (request.query as Record<string, unknown>)['otp']
    const entry = typeof otp === 'string' ? otps.get(otp) : undefined
    if (typeof otp === 'string') otps.delete(otp)
    if (!entry || entry.expiresAt <= org.now())
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Session expired</title><h1>This link has expired or was already used</h1>',
        )
    if (entry.startUrl) return reply.redirect(entry.startUrl, 302)
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Salesforce emulator</title></head>` +
          `<body><h1>Salesforce emulator</h1><p>Signed in to org ${org.id}. Records open at ` +
          `<code>/lightning/r/&lt;Object&gt;/&lt;Id&gt;/view</code>.</p></body></html>`,
      )
  })
}
