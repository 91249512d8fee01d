// Who may read /metrics (the org's size, API allowance left, connection status): the bearer token in
// METRICS_TOKEN when it is set (RFC 6750 §2.1, https://www.rfc-editor.org/rfc/rfc6750#section-2.1), otherwise
// only a scraper on this machine: the socket's peer is loopback and no proxy forwarded the request.
import { createHash, timingSafeEqual } from 'node:crypto'

import type { FastifyRequest } from 'fastify'

import { AppError } from '../errors.js'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

export function assertMayScrape(request: FastifyRequest, token: string | undefined): void {
  if (token !== undefined) {
    const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? ''
    if (!sameSecret(sent, token)) {
      throw new AppError('UNAUTHENTICATED', 'Send the metrics bearer token (METRICS_TOKEN).', undefined, {
        'www-authenticate': 'Bearer realm="metrics"',
      })
    }
    return
  }
  const forwarded =
    request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined
  if (forwarded || !LOOPBACK.has(request.socket.remoteAddress ?? '')) {
    throw new AppError(
      'FORBIDDEN',
      'Metrics are served on loopback only; set METRICS_TOKEN to scrape from elsewhere.',
    )
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(a), digest(b))
}
