// A Pub/Sub API client for tests built from the proto alone (@grpc/proto-loader), with TLS verified against the
// emulator's certificate and the documented auth metadata headers. Streams collect their answers so tests can
// waitFor() them.
import * as grpc from '@grpc/grpc-js'
import avro from 'avsc'

import { bigIntLong } from '../pubsub/avro-schema.js'
import { loadPubSubPackage, type FetchRequest, type FetchResponse } from '../pubsub/proto.js'
import type { RunningEmulator } from '../start-emulator.js'

export interface Auth {
  accesstoken: string
  instanceurl: string
  tenantid: string
}

export interface TestSubscription {
  responses: FetchResponse[]
  events(): FetchResponse['events']
  error: (grpc.ServiceError & { errorCode: string | undefined }) | undefined
  request(numRequested: number, topicName?: string): void
  end(): void
}

export function pubSubClient(emulator: RunningEmulator, auth: Partial<Auth>) {
  const { PubSub } = loadPubSubPackage()
  const client = new PubSub(
    emulator.pubSub.endpoint,
    grpc.credentials.createSsl(Buffer.from(emulator.pubSub.certificatePem)),
  ) as grpc.Client & Record<string, (...args: unknown[]) => unknown>
  const metadata = () => {
    const m = new grpc.Metadata()
    for (const [key, value] of Object.entries(auth)) if (value !== undefined) m.set(key, value)
    return m
  }
  const unary = <T>(method: string, request: object) =>
    new Promise<T>((resolve, reject) =>
      (client[method] as (r: object, m: grpc.Metadata, cb: (e: Error | null, v: T) => void) => void).call(
        client,
        request,
        metadata(),
        (error, value) => (error ? reject(error) : resolve(value)),
      ),
    )
  const schemas = new Map<string, avro.Type>()
  return {
    getTopic: (topicName: string) => unary<Record<string, unknown>>('GetTopic', { topic_name: topicName }),
    getSchema: (schemaId: string) =>
      unary<{ schema_json: string; schema_id: string }>('GetSchema', { schema_id: schemaId }),
    /** Decodes an event payload with its schema (fetched once through GetSchema), longs as BigInt. */
    async decode(event: FetchResponse['events'][number]): Promise<Record<string, unknown>> {
      let type = schemas.get(event.event.schema_id)
      if (!type) {
        const info = await this.getSchema(event.event.schema_id)
        type = avro.Type.forSchema(JSON.parse(info.schema_json) as avro.Schema, {
          registry: { long: bigIntLong },
        })
        schemas.set(event.event.schema_id, type)
      }
      return type.fromBuffer(event.event.payload) as Record<string, unknown>
    },
    subscribe(first: Partial<FetchRequest>): TestSubscription {
      const call = (
        client['Subscribe'] as (m: grpc.Metadata) => grpc.ClientDuplexStream<object, FetchResponse>
      ).call(client, metadata())
      const subscription: TestSubscription = {
        responses: [],
        events: () => subscription.responses.flatMap((r) => r.events),
        error: undefined,
        request: (numRequested, topicName) =>
          call.write({ num_requested: numRequested, topic_name: topicName ?? '' }),
        end: () => call.cancel(),
      }
      call.on('data', (response: FetchResponse) => subscription.responses.push(response))
      call.on('error', (error: grpc.ServiceError) => {
        const errorCode = error.metadata?.get('error-code')[0]
        subscription.error = Object.assign(error, { errorCode: errorCode?.toString() })
      })
      call.write(first)
      return subscription
    },
    close: () => client.close(),
  }
}

export function authFor(emulator: RunningEmulator, accessToken: string): Auth {
  return { accesstoken: accessToken, instanceurl: emulator.url, tenantid: emulator.org.id }
}
