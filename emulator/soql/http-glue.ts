// HTTP glue shared by the query and Bulk 2.0 routes: raw JSON replies and Salesforce error arrays
// (the array itself is written by the shared emulator/http/errors.ts).
// Error bodies are a JSON array [{"message": ..., "errorCode": ...}] (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm) and every JSON
// reply carries `Content-Type: application/json;charset=UTF-8`, which jsforce picks its parser from
// (https://github.com/jsforce/jsforce/blob/main/src/http-api.ts).

import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendError } from '../http/errors.js'
import { SoqlError } from './errors.js'

/**
 * Authenticates the request and counts it against the API limit (sets Sforce-Limit-Info). Resolves the session's
 * user id, or undefined when it has already sent a reply (401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, ...).
 */
export type RouteGuard = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<{ userId: string } | undefined>

export function sendJsonText(reply: FastifyReply, body: string | Buffer, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'application/json;charset=UTF-8').send(body)
}

/** Sends a SoqlError (its own status and code) or an explicit status/code/message as Salesforce's error array. */
export function sendSalesforceError(reply: FastifyReply, err: unknown): FastifyReply
export function sendSalesforceError(
  reply: FastifyReply,
  status: number,
  errorCode: string,
  message: string,
): FastifyReply
export function sendSalesforceError(
  reply: FastifyReply,
  errOrStatus: unknown,
  errorCode?: string,
  message?: string,
): FastifyReply {
  if (typeof errOrStatus === 'number')
    return sendError(reply, errOrStatus, errorCode ?? 'UNKNOWN_EXCEPTION', message ?? '')
  if (errOrStatus instanceof SoqlError) {
    return sendError(reply, errOrStatus.statusCode, errOrStatus.errorCode, errOrStatus.message)
  }
  throw errOrStatus
}
