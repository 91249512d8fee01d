// A request body that is cut off or stops arriving. Fastify reads bodies with no deadline of its own
// (requestTimeout is off by default, and Node's own check runs only every 30 s), so a client that stalls
// mid-body would hold its request open for as long as it likes. Every body is read through a stream that
// fails with REQUEST_TIMEOUT (408, connection closed: the rest of the body will never be read) once no byte
// came for BODY_IDLE_TIMEOUT_MS. A body cut short (the client closed the connection before its
// Content-Length) never reaches a handler either: Node's parser reports it as a client error, answered here
// in our error shape while the client can still read, and the aborted request is logged as such, not as a
// server fault. Either way no handler runs, so nothing is written.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { PassThrough, type Readable } from 'node:stream'

import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'

import type { ErrorCode } from '../../contracts/api/endpoint.js'
import { AppError } from '../errors.js'

export function limitBodyIdleTime(app: FastifyInstance, idleMs: number): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!hasBody(request)) return payload
    return withIdleDeadline(payload, idleMs)
  })
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function withIdleDeadline(payload: Readable, idleMs: number): Readable {
  const timed = new PassThrough()
  const timer = setTimeout(() => {
    // Not payload.destroy(): that would close the socket before the 408 can be sent.
    payload.unpipe(timed)
    timed.destroy(
      new AppError(
        'REQUEST_TIMEOUT',
        `The request body stopped arriving (nothing for ${Math.round(idleMs / 1000)} s). Nothing was saved; send it again.`,
        undefined,
        { connection: 'close' },
      ),
    )
  }, idleMs)
  payload.on('data', () => timer.refresh())
  payload.once('end', () => clearTimeout(timer))
  payload.once('error', (err) => {
    clearTimeout(timer)
    timed.destroy(err)
  })
  timed.once('close', () => clearTimeout(timer))
  payload.pipe(timed)
  return timed
}

/** The client went away before its request arrived: there is no one to answer. */
export function isAbortedRequest(request: FastifyRequest, err: Error): boolean {
  return request.raw.aborted || ('code' in err && err.code === 'ECONNRESET')
}

// Node's own client errors (https://nodejs.org/api/http.html#event-clienterror), in our error shape.
const clientErrors: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_INVALID_EOF_STATE: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message:
      'The request ended before its body was complete (less than its Content-Length arrived). Nothing was saved; send it again.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'MALFORMED_REQUEST',
    message: "The request's headers are too large.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request did not arrive in time. Nothing was saved; send it again.',
  },
}
const otherClientError = {
  status: 400,
  code: 'MALFORMED_REQUEST' as const,
  message: 'The request could not be read as HTTP.',
}

/** Fastify's clientErrorHandler: answers what Node could not parse, then closes the connection. */
export function answerClientError(log: FastifyBaseLogger) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    // A reset socket has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const answer = (err.code && clientErrors[err.code]) || otherClientError
    log.info({ code: err.code }, `client error: ${answer.message}`)
    if (socket.writable) {
      const body = JSON.stringify({ error: { code: answer.code, message: answer.message } })
      socket.write(
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      )
    }
    socket.destroy(err)
  }
}
