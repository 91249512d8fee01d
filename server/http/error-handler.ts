// The one place where errors become HTTP responses. Every error leaves as
// `{ "error": { "code", "message", "fields"? } }`; unexpected errors are logged and answered with a generic
// message, so no stack trace, SQL or internal detail reaches a client.
import type { FastifyError, FastifyInstance } from 'fastify'

import type { ApiErrorBody, ErrorCode } from '../../contracts/api/endpoint.js'
import { AppError } from '../errors.js'
import { isAbortedRequest } from './request-body.js'

// Fastify's own client errors (body parsing, limits) translated to our codes.
const fastifyErrors: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_JSON',
    message: 'The request says it has a JSON body but the body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send request bodies as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'MALFORMED_JSON',
    message: 'The Content-Length header does not match the body.',
  },
}

export function body(
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
  details?: Record<string, unknown>,
): ApiErrorBody {
  return { error: { code, message, ...(fields ? { fields } : {}), ...(details ? { details } : {}) } }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers)
      return reply.status(err.status).send(body(err.code, err.message, err.fields, err.details))
    }
    if (isAbortedRequest(request, err)) {
      // The client closed the connection before its request arrived: no handler ran, nobody to answer.
      request.log.info('the client closed the connection before the request body was complete')
      return reply.status(400).send(body('MALFORMED_REQUEST', 'The request body was not complete.'))
    }
    const known = 'code' in err && typeof err.code === 'string' ? fastifyErrors[err.code] : undefined
    if (known) {
      const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 400
      return reply.status(status).send(body(known.code, known.message))
    }
    if (err instanceof SyntaxError && 'statusCode' in err && err.statusCode === 400) {
      return reply.status(400).send(body('MALFORMED_JSON', 'The request body is not valid JSON.'))
    }
    request.log.error({ err }, 'unhandled error')
    return reply
      .status(500)
      .send(body('INTERNAL', `Something went wrong on our side. Reference: ${request.id}`))
  })
}
