// A thin gRPC client of Salesforce's Pub/Sub API (@grpc/grpc-js over TLS, our own copy of the proto beside this
// file): GetTopic, GetSchema (kept by schema id) and Subscribe. Every call carries the documented auth metadata,
// `accesstoken`, `instanceurl` and `tenantid` (the org id)
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html). Failures come back as a
// gRPC status with Salesforce's own code in the `error-code` trailer
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/handling-errors.md); they become
// SalesforceErrors whose kind says what the stream does next.
import { fileURLToPath } from 'node:url'

import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

import type { ChangeStreamAuth } from '../../crm-provider.js'
import type { OutboundGuard } from '../outbound-guard.js'
import { SalesforceError } from '../salesforce-errors.js'
import { parseEventSchema, type EventSchema } from './change-event-schema.js'

const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url))

export interface FetchResponse {
  events: Array<{ event: { id: string; schema_id: string; payload: Buffer }; replay_id: Buffer }>
  latest_replay_id: Buffer
  rpc_id: string
  pending_num_requested: number
}

export interface TopicInfo {
  topic_name: string
  tenant_guid: string
  can_subscribe: boolean
  schema_id: string
}

export interface PubSubEndpoint {
  /** host:port, e.g. api.pubsub.salesforce.com:7443. */
  address: string
  /** Root certificates (PEM) to trust instead of the system's (the local emulator's own certificate). */
  caPem: string | undefined
}

export type SubscribeCall = grpc.ClientDuplexStream<object, FetchResponse>

export interface PubSubClient {
  getTopic(auth: ChangeStreamAuth, topicName: string): Promise<TopicInfo>
  /** The schema with this id, fetched once (GetSchema) and then kept. */
  schema(auth: ChangeStreamAuth, schemaId: string): Promise<EventSchema>
  subscribe(auth: ChangeStreamAuth): SubscribeCall
  close(): void
}

type Unary = (
  request: object,
  metadata: grpc.Metadata,
  callback: (err: grpc.ServiceError | null, value: unknown) => void,
) => void

let definition: grpc.GrpcObject | undefined
function serviceConstructor(): grpc.ServiceClientConstructor {
  definition ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(PROTO_PATH, { keepCase: true, enums: String, longs: String, defaults: true }),
  )
  return ((definition['eventbus'] as grpc.GrpcObject)['v1'] as grpc.GrpcObject)[
    'PubSub'
  ] as grpc.ServiceClientConstructor
}

export async function createPubSubClient(
  endpoint: PubSubEndpoint,
  guard: OutboundGuard,
): Promise<PubSubClient> {
  // The same rule as every other outbound call: a Salesforce host, or one the operator allowed.
  await guard.check(`https://${endpoint.address}`)
  const Service = serviceConstructor()
  const client = new Service(
    endpoint.address,
    grpc.credentials.createSsl(endpoint.caPem ? Buffer.from(endpoint.caPem) : null),
    {
      // HTTP/2 pings notice a dead connection between Salesforce's keepalive batches (sent within 270 s,
      // https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html); the stream's
      // own idle deadline covers a connection that answers pings but delivers nothing.
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
    },
  ) as grpc.Client & Record<string, Unary>
  const metadata = (auth: ChangeStreamAuth) => {
    const m = new grpc.Metadata()
    m.set('accesstoken', auth.accessToken)
    m.set('instanceurl', auth.instanceUrl)
    m.set('tenantid', auth.orgId)
    return m
  }
  const unary = <T>(method: string, auth: ChangeStreamAuth, request: object) =>
    new Promise<T>((resolve, reject) => {
      const deadline = new Date(Date.now() + 30_000)
      ;(
        client[method] as unknown as (
          r: object,
          m: grpc.Metadata,
          o: grpc.CallOptions,
          cb: (e: grpc.ServiceError | null, v: unknown) => void,
        ) => void
      ).call(client, request, metadata(auth), { deadline }, (err, value) =>
        err ? reject(fromGrpcError(err)) : resolve(value as T),
      )
    })
  const schemas = new Map<string, Promise<EventSchema>>()
  return {
    getTopic: (auth, topicName) => unary<TopicInfo>('GetTopic', auth, { topic_name: topicName }),
    schema: (auth, schemaId) => {
      let schema = schemas.get(schemaId)
      if (!schema) {
        schema = unary<{ schema_json: string }>('GetSchema', auth, { schema_id: schemaId }).then((info) =>
          parseEventSchema(schemaId, info.schema_json),
        )
        // A failed fetch is not kept: the next event with this id asks again.
        schema.catch(() => schemas.delete(schemaId))
        schemas.set(schemaId, schema)
      }
      return schema
    },
    subscribe: (auth) =>
      (client['Subscribe'] as unknown as (m: grpc.Metadata) => SubscribeCall).call(client, metadata(auth)),
    close: () => client.close(),
  }
}

const P = 'sfdc.platform.eventbus.grpc'

/** A Pub/Sub API failure as a SalesforceError: `kind` decides between re-auth, restart from the tip, or retry. */
export function fromGrpcError(err: grpc.ServiceError): SalesforceError {
  const code = err.metadata?.get('error-code')[0]?.toString()
  const detail = err.details || err.message
  if (err.code === grpc.status.UNAUTHENTICATED || code?.endsWith('.auth.error'))
    return new SalesforceError(
      'session_expired',
      `The Pub/Sub API refused the session (${detail}).`,
      'The module signs in again by itself; if this persists, use Test Connection.',
      code,
    )
  if (code?.includes('replayid')) {
    return new SalesforceError(
      'replay_stale',
      `The stored stream position can no longer be resumed (${detail}).`,
      'Events are kept 72 hours; the connector starts from the newest event and runs an incremental sync for what it missed.',
      code,
    )
  }
  if (err.code === grpc.status.RESOURCE_EXHAUSTED || code === `${P}.subscription.limit.exceeded`)
    return new SalesforceError(
      'request_limit_exceeded',
      `Salesforce stopped delivering change events: ${detail}`,
      'The org used its Change Data Capture delivery allocation for the last 24 hours (Setup > Company Information); scheduled syncs keep the cache current meanwhile and the stream resumes by itself.',
      code,
    )
  if (err.code === grpc.status.NOT_FOUND)
    return new SalesforceError(
      'cdc_disabled',
      `Change Data Capture is not available for Opportunity (${detail}).`,
      'In Salesforce Setup > Integrations > Change Data Capture, move Opportunity to Selected Entities and save.',
      code,
    )
  if (err.code === grpc.status.PERMISSION_DENIED)
    return new SalesforceError(
      'no_access',
      `The integration user may not subscribe to change events (${detail}).`,
      'Give the integration user "View All Records" on Opportunity (or "View All Data") and "Subscribe to Change Data Capture" access.',
      code,
    )
  if (err.code === grpc.status.DEADLINE_EXCEEDED)
    return new SalesforceError(
      'timeout',
      `The Pub/Sub API did not answer in time (${detail}).`,
      RETRY_HINT,
      code,
    )
  if (err.code === grpc.status.INVALID_ARGUMENT)
    return new SalesforceError(
      'invalid_request',
      `The Pub/Sub API refused a request (${detail}).`,
      RETRY_HINT,
      code,
    )
  return new SalesforceError(
    'unreachable',
    `The Pub/Sub API stream ended (${grpc.status[err.code] ?? err.code}: ${detail}).`,
    RETRY_HINT,
    code,
  )
}

const RETRY_HINT =
  'The connector reconnects by itself with backoff and resumes from the stored position; scheduled syncs keep the cache current meanwhile.'
