// The emulator's Pub/Sub API endpoint: a @grpc/grpc-js server over TLS on loopback serving GetTopic, GetSchema
// and Subscribe for the org's change events (Publish, PublishStream and ManagedSubscribe answer UNIMPLEMENTED).
// https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html
import * as grpc from '@grpc/grpc-js'

import type { Org } from '../org/org.js'
import { authenticate } from './auth.js'
import { ChangeCapture } from './change-capture.js'
import { newRpcId, pubSubError, type PubSubErrorKind } from './errors.js'
import { EventBus } from './event-bus.js'
import {
  loadPubSubPackage,
  type FetchRequest,
  type FetchResponse,
  type SchemaInfo,
  type TopicInfo,
} from './proto.js'
import { handleSubscribe } from './subscribe.js'
import { emulatorCertificate } from './tls.js'
import { findTopic } from './topics.js'

/** Salesforce's keepalive bound: an empty batch within 270 s. */
export const DEFAULT_KEEPALIVE_MS = 270_000
/** Delivered events per rolling 24 hours, Developer Edition (CDC allocations page, cited in errors.ts). */
export const DEFAULT_DELIVERY_LIMIT = 10_000

export interface PubSubSettings {
  keepaliveMs: number
  deliveryLimit: number
}

export interface PubSubEmulator {
  /** host:port */
  endpoint: string
  certificatePem: string
  capture: ChangeCapture
  bus: EventBus
  settings: PubSubSettings
  /** Ends every open Subscribe stream with the given error (stream resets, the service going away). */
  failStreams(kind: PubSubErrorKind, message: string): number
  close(): Promise<void>
}

export interface PubSubOptions {
  org: Org
  /** The instance URL clients must name in the instanceurl header (known once the HTTP side listens). */
  instanceUrl: () => string
  port?: number
  keepaliveMs?: number
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>

export async function startPubSubServer(options: PubSubOptions): Promise<PubSubEmulator> {
  const { org, instanceUrl } = options
  const bus = new EventBus(() => org.now())
  const capture = new ChangeCapture(
    org.records,
    bus,
    () => org.now(),
    () => org.integrationUserId,
  )
  capture.attach()
  const settings: PubSubSettings = {
    keepaliveMs: options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
    deliveryLimit: DEFAULT_DELIVERY_LIMIT,
  }
  const streams = new Set<{ fail(kind: PubSubErrorKind, message: string): void }>()

  const signedIn = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<never>) => {
    const session = authenticate(org, instanceUrl(), call.metadata)
    if (typeof session !== 'string') return true
    callback(pubSubError('auth', session))
    return false
  }

  const getTopic: Unary<{ topic_name: string }, TopicInfo> = (call, callback) => {
    if (!signedIn(call, callback)) return
    const topic = findTopic(capture, call.request.topic_name)
    if (!topic) return callback(pubSubError('topicNotFound', `Topic ${call.request.topic_name} not found.`))
    callback(null, {
      topic_name: topic.name,
      tenant_guid: org.id,
      // Change events are published by Salesforce only.
      can_publish: false,
      can_subscribe: true,
      schema_id: topic.schema?.schemaId ?? '',
      rpc_id: newRpcId(),
    })
  }

  const getSchema: Unary<{ schema_id: string }, SchemaInfo> = (call, callback) => {
    if (!signedIn(call, callback)) return
    const schema = capture.schemaById(call.request.schema_id)
    if (!schema) return callback(pubSubError('schemaNotFound', `Schema ${call.request.schema_id} not found.`))
    callback(null, { schema_json: schema.schemaJson, schema_id: schema.schemaId, rpc_id: newRpcId() })
  }

  const server = new grpc.Server()
  server.addService(loadPubSubPackage().PubSub.service, {
    GetTopic: getTopic,
    GetSchema: getSchema,
    Subscribe: ((call) =>
      handleSubscribe(call, {
        org,
        instanceUrl,
        capture,
        keepaliveMs: () => settings.keepaliveMs,
        deliveryLimit: () => settings.deliveryLimit,
        streams,
      })) satisfies grpc.handleBidiStreamingCall<FetchRequest, FetchResponse>,
  })
  const { certificatePem, privateKeyPem } = await emulatorCertificate()
  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(certificatePem), private_key: Buffer.from(privateKeyPem) }],
    false,
  )
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  )
  return {
    endpoint: `127.0.0.1:${port}`,
    certificatePem,
    capture,
    bus,
    settings,
    failStreams(kind, message) {
      const open = [...streams]
      for (const stream of open) stream.fail(kind, message)
      return open.length
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of [...streams]) stream.fail('unavailable', 'The service is shutting down.')
        server.tryShutdown(() => resolve())
        setTimeout(() => server.forceShutdown(), 1000).unref()
      }),
  }
}
