// Subscribe: the bidirectional stream. The first FetchRequest names the topic and where to start (LATEST by
// default, EARLIEST, or CUSTOM after a replay id); replay preset and id of later requests are ignored, and a later
// topic_name that differs fails with INVALID_ARGUMENT. Each request adds num_requested to what the server still
// owes, capped at 100 across the stream (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html).
// Events go out as they are committed while something is owed; with nothing to send, an empty batch with the
// latest replay id is the keepalive (Salesforce: within 270 s; here `keepaliveMs`). Errors end the stream.
import type { ServerDuplexStream } from '@grpc/grpc-js'

import type { Org } from '../org/org.js'
import { authenticate } from './auth.js'
import type { ChangeCapture } from './change-capture.js'
import { pubSubError, newRpcId, type PubSubErrorKind } from './errors.js'
import { decodeReplayId, encodeReplayId } from './event-bus.js'
import type { FetchRequest, FetchResponse } from './proto.js'
import { findTopic, type Topic } from './topics.js'

export const MAX_PENDING = 100

export interface SubscribeOptions {
  org: Org
  instanceUrl: () => string
  capture: ChangeCapture
  keepaliveMs: () => number
  /** Rolling 24-hour delivery allocation. */
  deliveryLimit: () => number
  /** Open streams, so the control API can reset them. */
  streams: Set<{ fail(kind: PubSubErrorKind, message: string): void }>
}

export function handleSubscribe(
  call: ServerDuplexStream<FetchRequest, FetchResponse>,
  o: SubscribeOptions,
): void {
  const rpcId = newRpcId()
  const bus = o.capture.bus
  const token = call.metadata
  let topic: Topic | undefined
  let cursor = 0n
  let pending = 0
  let closed = false
  let unsubscribe = () => {}
  let keepalive: NodeJS.Timeout | undefined

  const stream = {
    fail(kind: PubSubErrorKind, message: string) {
      if (closed) return
      cleanup()
      call.emit('error', pubSubError(kind, message, rpcId))
    },
  }
  const cleanup = () => {
    closed = true
    unsubscribe()
    clearTimeout(keepalive)
    o.streams.delete(stream)
  }
  o.streams.add(stream)

  const signedIn = () => {
    const session = authenticate(o.org, o.instanceUrl(), token)
    if (typeof session === 'string') stream.fail('auth', session)
    return typeof session !== 'string'
  }

  const send = (response: Omit<FetchResponse, 'rpc_id' | 'pending_num_requested'>) => {
    call.write({ ...response, rpc_id: rpcId, pending_num_requested: pending })
    armKeepalive()
  }

  const armKeepalive = () => {
    clearTimeout(keepalive)
    keepalive = setTimeout(() => {
      if (closed || !topic || !signedIn()) return
      // Nothing owed is waiting (pump ran): the tip is a safe place to resume from.
      if (bus.after(cursor, topic.accepts, 1).length === 0) cursor = bus.latestReplayId
      send({ events: [], latest_replay_id: encodeReplayId(cursor) })
    }, o.keepaliveMs())
  }

  const pump = () => {
    if (closed || !topic || pending === 0) return
    if (bus.isExpired(cursor))
      return stream.fail('replayCorrupted', 'The stream fell behind event retention.')
    const events = bus.after(cursor, topic.accepts, pending)
    if (events.length === 0) return
    if (!signedIn()) return
    const allowance = o.deliveryLimit() - bus.deliveredLast24h()
    if (allowance <= 0)
      return stream.fail('limitExceeded', 'You have exceeded the event delivery limit for your org.')
    const batch = events.slice(0, allowance)
    pending -= batch.length
    cursor = (batch[batch.length - 1] as (typeof batch)[number]).replayId
    bus.countDeliveries(batch.length)
    send({
      events: batch.map((event) => ({
        event: { id: event.id, schema_id: event.schemaId, payload: event.payload, headers: [] },
        replay_id: encodeReplayId(event.replayId),
      })),
      latest_replay_id: encodeReplayId(cursor),
    })
    if (batch.length < events.length) pump()
  }

  const first = (request: FetchRequest): boolean => {
    topic = findTopic(o.capture, request.topic_name)
    if (!topic) {
      stream.fail(
        'topicNotFound',
        `Topic ${request.topic_name} not found or not enabled for Change Data Capture.`,
      )
      return false
    }
    if (request.num_requested <= 0) {
      stream.fail('requestedInvalid', 'num_requested must be greater than 0.')
      return false
    }
    const custom = request.replay_preset === 'CUSTOM'
    const replayId = custom ? decodeReplayId(request.replay_id) : undefined
    if (custom && replayId === undefined) {
      stream.fail('replayInvalid', 'The Replay ID validation failed: CUSTOM needs a replay id.')
      return false
    }
    const start = bus.startAfter(request.replay_preset, replayId)
    if (start === undefined) {
      stream.fail('replayCorrupted', 'The Replay ID validation failed: it is unknown or past retention.')
      return false
    }
    cursor = start
    unsubscribe = bus.onPublish(pump)
    return true
  }

  call.on('data', (request: FetchRequest) => {
    if (closed) return
    if (!topic) {
      if (!signedIn() || !first(request)) return
    } else if (request.topic_name && request.topic_name !== topic.name) {
      return stream.fail('topicMismatch', `topic_name must stay ${topic.name} on this stream.`)
    }
    pending = Math.min(MAX_PENDING, pending + Math.max(0, request.num_requested))
    pump()
    armKeepalive()
  })
  call.on('end', () => {
    if (!closed) cleanup()
    call.end()
  })
  call.on('cancelled', cleanup)
  call.on('error', cleanup)
}
