// One browser's event stream (text/event-stream, https://html.spec.whatwg.org/multipage/server-sent-events.html):
// replay after Last-Event-ID from the database, then live events from the hub, a heartbeat comment every
// config.live.heartbeatMs, and the session checked again at each heartbeat (signed out or deactivated:
// the stream ends).
import type { FastifyReply, FastifyRequest } from 'fastify'

import type { LiveEvent } from '../../../contracts/api/live.api.js'
import { authenticate } from '../../auth/auth.service.js'
import type { AppDeps } from '../../deps.js'
import type { LiveHub } from './live-hub.js'
import { deliveries, newestEventId, oldestEventId, readEventsAfter } from './live.repository.js'

const REPLAY_LIMIT = 500
const REMEMBERED_IDS = 2_000
/** A browser this far behind is cut off; it reconnects and replays from its last id. */
const MAX_BUFFERED_BYTES = 1024 * 1024
const RETRY_MS = 3_000

export interface StreamInput {
  userId: string
  sessionToken: string | undefined
  request: FastifyRequest
  reply: FastifyReply
}

/** Parses Last-Event-ID: the decimal event number this server sent, anything else is ignored. */
export function lastEventIdOf(request: FastifyRequest): number | undefined {
  const raw = request.headers['last-event-id']
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
}

export async function openLiveStream(
  deps: AppDeps,
  hub: LiveHub,
  input: StreamInput,
  open: Set<() => void>,
): Promise<void> {
  const { request, reply, userId } = input
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // Proxies such as nginx buffer responses unless told not to.
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  })
  res.write(`retry: ${RETRY_MS}\n\n`)

  const sent = new Set<number>()
  let newestSent = 0
  let ended = false
  const send = (id: number, event: LiveEvent) => {
    if (ended) return
    newestSent = Math.max(newestSent, id)
    // The id line is the newest number sent, so a reconnect replays from there (ids can arrive out of order).
    res.write(`id: ${newestSent}\ndata: ${JSON.stringify(event)}\n\n`)
    if (res.writableLength > MAX_BUFFERED_BYTES) end()
  }
  const deliver = (id: number, event: LiveEvent) => {
    if (sent.has(id)) return
    sent.add(id)
    if (sent.size > REMEMBERED_IDS) sent.delete(sent.values().next().value ?? 0)
    send(id, event)
  }

  const unsubscribe = hub.subscribe({ userId, deliver })
  const heartbeat = setInterval(() => {
    if (ended) return
    res.write(': heartbeat\n\n')
    authenticate(deps, input.sessionToken).then(
      (auth) => {
        if (auth.status !== 'signed-in' || auth.user.id !== userId) end()
      },
      () => end(),
    )
  }, deps.config.live.heartbeatMs)
  heartbeat.unref()
  function end() {
    if (ended) return
    ended = true
    clearInterval(heartbeat)
    unsubscribe()
    open.delete(end)
    res.end()
  }
  open.add(end)
  request.raw.on('close', end)

  try {
    const lastId = lastEventIdOf(request)
    if (lastId === undefined) {
      send(await newestEventId(deps.db), { type: 'ready' })
      return
    }
    const rows = await readEventsAfter(deps.db, lastId, REPLAY_LIMIT + 1)
    const oldest = await oldestEventId(deps.db)
    if (rows.length > REPLAY_LIMIT || (oldest !== undefined && lastId < oldest - 1)) {
      send(await newestEventId(deps.db), { type: 'reset' })
      return
    }
    const ids = rows.map((row) => row.id)
    for (const { id, event } of await hub.toEvents(await deliveries(deps.db, ids, [userId]))) {
      deliver(id, event)
    }
    send(Math.max(lastId, rows.at(-1)?.id ?? 0), { type: 'ready' })
  } catch (err) {
    deps.log.warn({ err }, 'live stream could not start; the browser will reconnect')
    end()
  }
}
