// Pub/Sub API failures as Salesforce sends them: a gRPC status whose message ends with "rpcId: <id>", and the
// trailers `error-code` (Salesforce's own code) and `rpc-id`; a long-lived stream ends with it
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/handling-errors.md,
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/retry-rpc-calls.html).
import { randomUUID } from 'node:crypto'

import { Metadata, status, type StatusObject } from '@grpc/grpc-js'

const P = 'sfdc.platform.eventbus.grpc'

/**
 * Salesforce's error codes the emulator answers with, and the gRPC status each comes with. Those marked
 * "(emulator's name)" are not spelled out in a public document; the status code is what clients act on.
 */
export const PUBSUB_ERRORS = {
  /** Missing, expired or revoked access token, or headers naming another org or instance. */
  auth: { code: status.UNAUTHENTICATED, errorCode: `${P}.service.auth.error` },
  /** A replay id older than the retention window or never issued (CUSTOM preset). */
  replayCorrupted: { code: status.INVALID_ARGUMENT, errorCode: `${P}.subscription.fetch.replayid.corrupted` },
  /** CUSTOM without a well-formed replay id. */
  replayInvalid: {
    code: status.INVALID_ARGUMENT,
    errorCode: `${P}.subscription.fetch.replayid.validation.failed`,
  },
  /** A first FetchRequest asking for no events. */
  requestedInvalid: {
    code: status.INVALID_ARGUMENT,
    errorCode: `${P}.subscription.fetch.requested.events.invalid`,
  },
  /** A later FetchRequest naming another topic (the proto's Subscribe comment says INVALID_ARGUMENT; emulator's name). */
  topicMismatch: { code: status.INVALID_ARGUMENT, errorCode: `${P}.subscription.topic.mismatch` },
  /** An unknown topic, or change events not enabled for its entity (emulator's name). */
  topicNotFound: { code: status.NOT_FOUND, errorCode: `${P}.service.topic.notfound` },
  /** An unknown schema id (emulator's name). */
  schemaNotFound: { code: status.NOT_FOUND, errorCode: `${P}.service.schema.notfound` },
  /** The rolling 24-hour event delivery allocation is used up; the stream disconnects
   * (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_allocations.htm). */
  limitExceeded: { code: status.RESOURCE_EXHAUSTED, errorCode: `${P}.subscription.limit.exceeded` },
  /** The service going away under a stream (control API stream reset). */
  unavailable: { code: status.UNAVAILABLE, errorCode: `${P}.service.unavailable` },
} as const

export type PubSubErrorKind = keyof typeof PUBSUB_ERRORS

export function newRpcId(): string {
  return randomUUID()
}

export function pubSubError(
  kind: PubSubErrorKind,
  message: string,
  rpcId = newRpcId(),
): Partial<StatusObject> {
  const { code, errorCode } = PUBSUB_ERRORS[kind]
  const metadata = new Metadata()
  metadata.set('error-code', errorCode)
  metadata.set('rpc-id', rpcId)
  return { code, details: `${message} rpcId: ${rpcId}`, metadata }
}
