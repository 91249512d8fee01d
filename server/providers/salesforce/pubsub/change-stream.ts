// The opportunity change stream over Subscribe, kept alive: flow control (ask for `batchSize` events, and ask for
// as many again as soon as they are received, while at most MAX_UNAPPLIED received events wait to be applied; the
// server appends what is asked for, capped at 100 pending:
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html), replay from the stored
// position (CUSTOM preset; LATEST the first time), an idle deadline (Salesforce sends an empty keepalive batch
// within 270 s, so silence past it means a dead stream), a new session after an auth error, and reconnects with
// exponential backoff and full jitter after anything else
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/retry-rpc-calls.html).
import type * as grpc from '@grpc/grpc-js'

import type {
  ChangeEvent,
  ChangeStream,
  ChangeStreamAuth,
  ChangeStreamOptions,
  ChangeType,
} from '../../crm-provider.js'
import { isSalesforceError, SalesforceError } from '../salesforce-errors.js'
import { CLIENT_ID } from '../call-options.js'
import type { EventSchema } from './change-event-schema.js'
import { fromGrpcError, type FetchResponse, type PubSubClient } from './pubsub-client.js'

export const OPPORTUNITY_TOPIC = '/data/OpportunityChangeEvent'
const MAX_REQUESTED = 100
/**
 * Received events not applied yet, at most (beyond the server's 100 pending). Asking for more only after a batch
 * is applied caps the stream at 100 events per batch's time (read by id + transaction): at 100 changes/s and
 * batches of over a second it fell behind for good. Events received meanwhile are applied together as the next
 * batch, so a slower batch makes the next one larger, not the stream slower. Nothing is acknowledged to Salesforce
 * by asking: the stored position moves only with an applied batch, so what was received and not applied comes
 * again after a restart.
 */
const MAX_UNAPPLIED = 2_000

const CHANGE_TYPES = new Set<string>([
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
])

/** Checks the topic exists for this org and the user may subscribe (GetTopic). */
export async function checkTopic(client: PubSubClient, auth: ChangeStreamAuth): Promise<string> {
  const topic = await client.getTopic(auth, OPPORTUNITY_TOPIC)
  if (!topic.can_subscribe)
    throw new SalesforceError(
      'no_access',
      'The integration user may not subscribe to opportunity change events.',
      'Give the integration user "View All Records" on Opportunity (or "View All Data"); Change Data Capture ignores sharing and needs it.',
    )
  return topic.schema_id
}

export function runChangeStream(client: PubSubClient, options: ChangeStreamOptions): ChangeStream {
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 60_000 }
  const batchSize = Math.max(1, Math.min(MAX_REQUESTED, options.batchSize))
  let auth = options.auth
  let position = options.position
  let closed = false
  let current: grpc.ClientDuplexStream<object, FetchResponse> | undefined
  let wake: (() => void) | undefined
  let failures = 0

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  /** One Subscribe call, until it ends; resolves with why it ended. */
  const subscribeOnce = async (): Promise<SalesforceError> => {
    await checkTopic(client, auth)
    options.onStatus({ state: 'connected' })
    const call = client.subscribe(auth)
    current = call
    let chain = Promise.resolve()
    let ended: SalesforceError | undefined
    return new Promise<SalesforceError>((resolve) => {
      let idle: NodeJS.Timeout | undefined
      const finish = (error: SalesforceError) => {
        if (ended) return
        ended = error
        clearTimeout(idle)
        call.cancel()
        // A batch being applied finishes first, so its position is the one the next stream starts from.
        void chain.then(() => resolve(error))
      }
      const armIdle = () => {
        clearTimeout(idle)
        idle = setTimeout(
          () =>
            finish(
              new SalesforceError(
                'timeout',
                `The change stream sent nothing for ${Math.round(options.idleTimeoutMs / 1000)} s, not even a keepalive.`,
                'The connector reopens the stream and resumes from the stored position.',
              ),
            ),
          options.idleTimeoutMs,
        )
      }
      // Responses that arrive while a batch is being applied wait and are applied together as one batch (one
      // read of the changed records, one transaction), so the stream keeps up when changes come one per
      // response faster than a batch can be applied. The position is the last response's, as before.
      let waiting: FetchResponse[] = []
      // Received and not applied yet; received and not asked for again yet.
      let unapplied = 0
      let owed = 0
      const askForMore = () => {
        if (ended) return
        let give = Math.min(owed, Math.max(0, MAX_UNAPPLIED - unapplied))
        owed -= give
        while (give > 0) {
          const asked = Math.min(MAX_REQUESTED, give)
          call.write({ num_requested: asked })
          give -= asked
        }
      }
      call.on('data', (response: FetchResponse) => {
        armIdle()
        unapplied += response.events.length
        owed += response.events.length
        askForMore()
        waiting.push(response)
        if (waiting.length > 1) return
        chain = chain.then(async () => {
          if (ended) return
          const responses = waiting
          waiting = []
          const last = responses[responses.length - 1] as FetchResponse
          const received = responses.flatMap((r) => r.events)
          try {
            const events = await Promise.all(received.map((e) => decodeEvent(e)))
            const next = last.events.length
              ? hex((last.events[last.events.length - 1] as FetchResponse['events'][number]).replay_id)
              : hex(last.latest_replay_id)
            await options.onBatch({ events, position: next || (position ?? '') })
            if (next) position = next
            failures = 0
            unapplied -= received.length
            askForMore()
          } catch (err) {
            finish(
              isSalesforceError(err)
                ? err
                : new SalesforceError(
                    'server_error',
                    `Applying change events failed: ${(err as Error).message}`,
                    'The connector resumes from the last applied event.',
                  ),
            )
          }
        })
      })
      call.on('error', (err: grpc.ServiceError) => finish(fromGrpcError(err)))
      call.on('end', () =>
        finish(
          new SalesforceError(
            'unreachable',
            'The Pub/Sub API closed the change stream.',
            'The connector reconnects by itself.',
          ),
        ),
      )
      armIdle()
      call.write({
        topic_name: OPPORTUNITY_TOPIC,
        replay_preset: position ? 'CUSTOM' : 'LATEST',
        replay_id: position ? Buffer.from(position, 'hex') : Buffer.alloc(0),
        num_requested: batchSize,
      })
    })
  }

  const decodeEvent = async (e: FetchResponse['events'][number]): Promise<ChangeEvent> => {
    let schema: EventSchema
    try {
      schema = await client.schema(auth, e.event.schema_id)
    } catch (err) {
      // A schema that cannot be had is the stream's problem (auth, network), not the event's: retry it.
      throw isSalesforceError(err) && err.kind === 'bad_response' ? unreadable(err) : err
    }
    try {
      const { header } = schema.decode(e.event.payload)
      if (!CHANGE_TYPES.has(header.changeType)) throw new Error(`unknown changeType ${header.changeType}`)
      return {
        changeType: header.changeType as ChangeType,
        recordIds: header.recordIds,
        changedFields: header.changedFields,
        nulledFields: header.nulledFields,
        commitTimestamp: header.commitTimestamp,
        transactionKey: header.transactionKey,
        sequenceNumber: header.sequenceNumber,
        ownChange: new RegExp(`;client=${CLIENT_ID}(?:$|[;,])`).test(header.changeOrigin),
      }
    } catch (err) {
      return unreadable(err as Error)
    }
  }

  const loop = async () => {
    while (!closed) {
      options.onStatus({ state: 'connecting' })
      let error: SalesforceError
      try {
        error = await subscribeOnce()
      } catch (err) {
        error = isSalesforceError(err)
          ? err
          : new SalesforceError('server_error', (err as Error).message, 'The connector reconnects by itself.')
      }
      current = undefined
      if (closed) break
      try {
        if (error.kind === 'session_expired') auth = await options.reauthenticate()
        if (error.kind === 'replay_stale') {
          position = undefined
          await options.onPositionLost(error)
        }
      } catch (err) {
        if (isSalesforceError(err)) error = err
      }
      // A new session or a new start point deserves one immediate try; anything else waits.
      const immediate = (error.kind === 'session_expired' || error.kind === 'replay_stale') && failures === 0
      failures += 1
      const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 20))
      const retryInMs = immediate ? 0 : Math.round(Math.random() * ceiling)
      options.onStatus({ state: 'error', error, retryInMs })
      if (retryInMs > 0) await sleep(retryInMs)
    }
  }
  const running = loop()
  return {
    close: async () => {
      closed = true
      current?.cancel()
      wake?.()
      await running
    },
  }
}

function unreadable(err: Error): ChangeEvent {
  return {
    changeType: 'GAP_OVERFLOW',
    recordIds: [],
    changedFields: [],
    nulledFields: [],
    commitTimestamp: new Date(),
    transactionKey: '',
    sequenceNumber: 0,
    ownChange: false,
    unreadable: err.message,
  }
}

const hex = (buffer: Buffer | undefined) => (buffer && buffer.length > 0 ? buffer.toString('hex') : '')
