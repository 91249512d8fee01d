// Loads the emulator's Pub/Sub API service definition (pubsub_api.proto beside this file) for @grpc/grpc-js.
// Field names stay as written in the proto (snake_case), enums as their names, longs as strings, bytes as Buffers.
import { fileURLToPath } from 'node:url'

import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

export const PUBSUB_PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url))

export interface PubSubPackage {
  PubSub: grpc.ServiceClientConstructor
}

export function loadPubSubPackage(): PubSubPackage {
  const definition = protoLoader.loadSync(PUBSUB_PROTO_PATH, {
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { eventbus: { v1: PubSubPackage } }
  return loaded.eventbus.v1
}

/** The messages as @grpc/proto-loader hands them over with the options above. */
export interface FetchRequest {
  topic_name: string
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM'
  replay_id: Buffer
  num_requested: number
  auth_refresh: string
}

export interface ConsumerEvent {
  event: { id: string; schema_id: string; payload: Buffer; headers: { key: string; value: Buffer }[] }
  replay_id: Buffer
}

export interface FetchResponse {
  events: ConsumerEvent[]
  latest_replay_id: Buffer
  rpc_id: string
  pending_num_requested: number
}

export interface TopicInfo {
  topic_name: string
  tenant_guid: string
  can_publish: boolean
  can_subscribe: boolean
  schema_id: string
  rpc_id: string
}

export interface SchemaInfo {
  schema_json: string
  schema_id: string
  rpc_id: string
}
