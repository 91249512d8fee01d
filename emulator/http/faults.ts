// Faults the control API injects (POST /__emulator/faults), applied to every Salesforce route. Two families:
// * answers Salesforce gives (401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 400 UNABLE_TO_LOCK_ROW, 500, 503), a delay, or a
//   connection closed before any response byte (`drop`): decided when the request arrives;
// * bodies broken on the wire, decided when the route's answer is ready: the route runs (and counts) as usual,
//   then the bytes that leave the socket are not the whole answer.
//   - `cut_body`: the headers declare the whole body's Content-Length, half the body is sent, the connection
//     closes. What a client sees when a server or proxy dies mid-response.
//   - `reset_body`: the same headers and half body, then the connection is reset (TCP RST,
//     net.Socket#resetAndDestroy, https://nodejs.org/api/net.html#socketresetanddestroy): what a client sees
//     when a firewall or load balancer drops the flow mid-response (ECONNRESET).
//   - `stall_body`: the same headers and half body, then nothing; the connection stays open until the client
//     gives up, the fault list is cleared, or the emulator closes. What a dead peer behind a live TCP path looks like.
//   - `cut_chunked`: `Transfer-Encoding: chunked` (no Content-Length), half the body as one chunk, then the
//     connection closes without the terminating zero-length chunk (RFC 9112 §7.1: the chunked body is incomplete).
//   - `malformed_body` (formerly `truncate`): a complete, well-framed HTTP response whose body is only the first
//     half of the real one, Content-Length shrunk to match. The transfer succeeds and the JSON does not parse:
//     not a network failure, but what a broken server or proxy can send.
// API: applyRequestFault(org, request, reply) in an onRequest hook; applyBodyFault(org, request, reply, payload)
// in an onSend hook; releaseStalled(org) closes the connections stall_body holds open.
import { Readable } from 'node:stream'

import type { FastifyReply, FastifyRequest } from 'fastify'

import type { Fault, FaultKind, Org } from '../org/org.js'
import { sendError } from './errors.js'

type BodyFault = Extract<
  FaultKind,
  'cut_body' | 'reset_body' | 'stall_body' | 'cut_chunked' | 'malformed_body'
>

const bodyFaults = new WeakMap<FastifyRequest, BodyFault>()
/** The fault that hit a request, for the request log. */
export const appliedFaults = new WeakMap<FastifyRequest, FaultKind>()

/** The first fault that matches `METHOD /path`, still has calls left, is due (`every`) and wins its draw. */
function takeFault(org: Org, target: string, soql: string): Fault | undefined {
  for (const fault of org.faults) {
    const pattern = fault.match
    const matches =
      (pattern.startsWith('re:') ? new RegExp(pattern.slice(3)).test(target) : target.includes(pattern)) &&
      (fault.soql === undefined || soql.includes(fault.soql))
    if (!matches || (fault.remaining !== undefined && fault.remaining <= 0)) continue
    fault.matched += 1
    if (fault.matched % fault.every !== 0) continue
    if (Math.random() >= fault.probability) continue
    if (fault.remaining !== undefined) fault.remaining -= 1
    return fault
  }
  return undefined
}

/** Decides the request's fault; answers at once for the kinds that replace the route's answer. */
export async function applyRequestFault(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const [path = '', search = ''] = request.url.split('?')
  const fault = takeFault(org, `${request.method} ${path}`, new URLSearchParams(search).get('q') ?? '')
  if (!fault) return undefined
  appliedFaults.set(request, fault.kind)
  switch (fault.kind) {
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      return undefined
    case 'drop':
      request.raw.socket.destroy()
      return reply
    case 'cut_body':
    case 'reset_body':
    case 'stall_body':
    case 'cut_chunked':
    case 'malformed_body':
      bodyFaults.set(request, fault.kind)
      return undefined
    // Codes and messages as REST API Developer Guide "Status Codes and Error Responses" lists them
    // (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm); the 500 text
    // imitates the ErrorId sentence Salesforce puts in UNKNOWN_EXCEPTION (its exact form is undocumented).
    case 'invalid_session':
      return sendError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid')
    case 'request_limit':
      return sendError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
    case 'unavailable':
      return sendError(
        reply,
        503,
        'SERVER_UNAVAILABLE',
        'Server is temporarily unavailable. Please try again later.',
      )
    // Record locking: another transaction holds the row (StatusCode UNABLE_TO_LOCK_ROW,
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm);
    // a DML error, so 400 with the error array (errorcodes.htm). Status and message UNCONFIRMED, as commonly reported.
    case 'unable_to_lock_row':
      return sendError(
        reply,
        400,
        'UNABLE_TO_LOCK_ROW',
        'unable to obtain exclusive access to this record or 1 records',
      )
    case 'server_error':
      return sendError(
        reply,
        500,
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
      )
  }
}

/** The payload to send: unchanged, or broken as the request's body fault says. */
export function applyBodyFault(
  org: Org,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): unknown {
  const kind = bodyFaults.get(request)
  if (!kind || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload
  const bytes = Buffer.from(payload)
  const half = bytes.subarray(0, Math.floor(bytes.length / 2))
  if (kind === 'malformed_body') {
    void reply.header('content-length', half.length)
    return half
  }
  const socket = request.raw.socket
  if (kind === 'cut_chunked') void reply.removeHeader('content-length')
  else void reply.header('content-length', bytes.length)
  if (kind === 'stall_body') {
    org.stalledConnections.add(socket)
    socket.once('close', () => org.stalledConnections.delete(socket))
  }
  // Fastify pipes a stream into the response: with Content-Length set it sends the body as is, without it Node
  // frames each chunk (chunked encoding). The stream never ends, so neither does the response; for the cuts, the
  // connection is closed once the half has been handed to the socket (the next read asks for more).
  let sent = false
  return new Readable({
    read() {
      if (!sent) {
        sent = true
        if (half.length > 0) {
          this.push(half)
          return
        }
        reply.raw.flushHeaders()
      }
      // A reset discards what is still in this side's send queue, so it waits until the half has been handed
      // to the kernel. The 20 ms only make it likelier that the client has read the half before the RST comes:
      // nothing depends on it. A client that reads the last bytes and the RST in one wakeup may see an end of
      // stream instead of ECONNRESET (libuv reports POLLHUP after a partial read as EOF); either way the body
      // is shorter than its Content-Length (emulator/http/faults.test.ts shows both).
      if (kind === 'reset_body') socket.write('', () => setTimeout(() => socket.resetAndDestroy(), 20))
      else if (kind !== 'stall_body') setImmediate(() => socket.destroySoon())
    },
  })
}

/** Closes every connection a stall_body fault is holding open (fault list cleared, emulator closing). */
export function releaseStalled(org: Org): void {
  for (const socket of org.stalledConnections) socket.destroy()
  org.stalledConnections.clear()
}
