// Salesforce REST errors are a JSON array of {message, errorCode} (REST API Developer Guide "Status Codes and
// Error Responses", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm), sent as application/json;charset=UTF-8 because jsforce picks its parser from it.
// API: sendJson(reply, status, body); sendError(reply, status, errorCode, message, fields?) → [{message, errorCode}];
// sendOAuthError(reply, status, error, description) → {error, error_description}; sendFrameworkError for app.setErrorHandler.
import type { FastifyReply } from 'fastify'

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json;charset=UTF-8')
    .send(JSON.stringify(body))
}

export function sendError(
  reply: FastifyReply,
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): FastifyReply {
  return sendJson(reply, status, [{ message, errorCode, ...(fields ? { fields } : {}) }])
}

/** OAuth endpoints answer `{error, error_description}` instead (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_flow_errors.htm). */
export function sendOAuthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return sendJson(reply, status, { error, error_description: description })
}

/**
 * Errors raised outside a route's own checks (body parsing, schema validation, bugs), in the shape the path's
 * clients expect: the control API answers {error}; Salesforce paths answer the error array. A JSON body that does
 * not parse is 400 JSON_PARSER_ERROR, as Salesforce reports it (errorcodes.htm); anything unexpected is 500
 * UNKNOWN_EXCEPTION (the code Salesforce uses for internal errors, errorcodes.htm). The codes sent with 413 and
 * 415 are UNCONFIRMED (errorcodes.htm lists only the statuses).
 */
export function sendFrameworkError(url: string, error: unknown, reply: FastifyReply): FastifyReply {
  const err = error as { statusCode?: unknown; message?: unknown; name?: unknown; code?: unknown }
  const message = typeof err.message === 'string' ? err.message : String(error)
  const status =
    err.name === 'ZodError'
      ? 400
      : typeof err.statusCode === 'number' && err.statusCode >= 400
        ? err.statusCode
        : 500
  if (url.startsWith('/__emulator')) return sendJson(reply, status, { error: message })
  if (status === 415) return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', message)
  if (status === 413) return sendError(reply, 413, 'REQUEST_ENTITY_TOO_LARGE', message)
  if (status < 500) return sendError(reply, 400, 'JSON_PARSER_ERROR', message)
  return sendError(reply, 500, 'UNKNOWN_EXCEPTION', message)
}
