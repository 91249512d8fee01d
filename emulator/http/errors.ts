// Salesforce REST errors are a JSON array of {message, errorCode} (REST API Developer Guide "Status Codes and
// Error Responses"; digest §2.4), sent as application/json;charset=UTF-8 because jsforce picks its parser from it.
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

/** OAuth endpoints answer `{error, error_description}` instead (digest §1.5). */
export function sendOAuthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return sendJson(reply, status, { error, error_description: description })
}
