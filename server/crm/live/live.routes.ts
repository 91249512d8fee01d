// GET /api/live: the signed-in user's event stream (live-stream.ts). Streams still open when the server
// stops are ended first, so a graceful stop does not wait for browsers to hang up.
import type { FastifyInstance } from 'fastify'

import * as api from '../../../contracts/api/live.api.js'
import type { AppDeps } from '../../deps.js'
import { SESSION_COOKIE, type Route } from '../../http/route.js'
import type { LiveHub } from './live-hub.js'
import { openLiveStream } from './live-stream.js'

export function registerLiveRoutes(app: FastifyInstance, route: Route, deps: AppDeps, hub: LiveHub): void {
  const open = new Set<() => void>()
  app.addHook('preClose', async () => {
    for (const end of [...open]) end()
    hub.close()
  })
  route(api.liveEvents, async ({ user, request, reply }) => {
    await openLiveStream(
      deps,
      hub,
      { userId: user.id, sessionToken: request.cookies[SESSION_COOKIE], request, reply },
      open,
    )
    return reply
  })
}
