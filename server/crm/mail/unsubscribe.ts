// One-click unsubscribe (RFC 8058, https://www.rfc-editor.org/rfc/rfc8058): every notification email
// carries `List-Unsubscribe: <https://…/api/mail/unsubscribe?token=…>` and
// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The mail client POSTs
// `List-Unsubscribe=One-Click` to that URL without cookies, so the route needs no sign-in and no CSRF token:
// the token itself, sealed and authenticated with the master key, says whom and which kind it turns off.
// A GET (a person following the link, or a scanner prefetching it) changes nothing and shows a button that
// POSTs, as section 3.2 of the RFC asks.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

import { notificationKinds } from '../../../contracts/api/notifications.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { escapeHtml } from '../feed/timeline.js'
import { turnKindOff, turnDigestOff } from './mail.repository.js'

const CONTEXT = 'mail-unsubscribe'
export const UNSUBSCRIBE_PATH = '/api/mail/unsubscribe'

/** What a token turns off: one kind, or every kind sent in the daily digest. */
const TokenSchema = z.object({ u: z.uuid(), k: z.enum([...notificationKinds, 'digest']) })
type Target = z.infer<typeof TokenSchema>

export function unsubscribeUrl(deps: AppDeps, userId: string, kind: Target['k']): string {
  const token = deps.secrets.seal(JSON.stringify({ u: userId, k: kind }), CONTEXT)
  return `${deps.config.http.publicUrl}${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`
}

function readToken(deps: AppDeps, token: unknown): Target {
  try {
    if (typeof token !== 'string' || token.length > 1000) throw new Error('no token')
    return TokenSchema.parse(JSON.parse(deps.secrets.open(token, CONTEXT)))
  } catch {
    throw new AppError(
      'NOT_FOUND',
      'This unsubscribe link is not valid (it may be incomplete or out of date).',
    )
  }
}

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`

export async function registerUnsubscribeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    // The one-click body is a form post (RFC 8058 section 3.1); only this scope reads form bodies.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    )

    scope.get(UNSUBSCRIBE_PATH, async (request, reply) => {
      const { token } = request.query as { token?: unknown }
      readToken(deps, token)
      const action = `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(String(token))}`
      return reply
        .type('text/html; charset=utf-8')
        .send(
          html(
            'Stop these emails?',
            `<form method="post" action="${escapeHtml(action)}">` +
              '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
              '<button type="submit">Unsubscribe</button></form>',
          ),
        )
    })

    scope.post(UNSUBSCRIBE_PATH, async (request, reply) => {
      const { token } = request.query as { token?: unknown }
      const target = readToken(deps, token)
      if (target.k === 'digest') await turnDigestOff(deps.db, target.u)
      else await turnKindOff(deps.db, target.u, target.k)
      deps.log.info({ userId: target.u, kind: target.k }, 'notification email unsubscribed')
      return reply
        .type('text/html; charset=utf-8')
        .send(
          html(
            'Unsubscribed',
            '<p>You will not get these emails any more. You can turn them on again in your notification settings.</p>',
          ),
        )
    })
  })
}
