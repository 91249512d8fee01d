// Weak conditional requests on sObject Rows (REST API Developer Guide "Conditional Request Headers",
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/intro_rest_conditional_requests.htm): the
// headers compare a date with "the last modified date of the record" (LastModifiedDate, whole seconds).
// * If-Unmodified-Since: the record changed after the date → 412 Precondition Failed, the request is not processed.
// * If-Modified-Since: the record has not changed since the date → 304 Not Modified for GET (no body); for a write
//   the precondition fails → 412 (as the page documents for If-None-Match on PATCH).
// * An invalid If-Unmodified-Since on a write (PATCH, or DELETE as the Winter '16 page lists it,
//   https://developer.salesforce.com/docs/atlas.en-us.198.0.api_rest.meta/api_rest/intro_rest_conditional_requests.htm)
//   → 400 Bad Request. Any other invalid date is ignored, as HTTP says for If-Modified-Since (RFC 9110 §13.1.3,
//   https://www.rfc-editor.org/rfc/rfc9110#section-13.1.3). The dates are HTTP-dates ("EEE, dd MMM yyyy HH:mm:ss z",
//   resources_sobject_retrieve_patch.htm, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_patch.htm).
// The error bodies use the documented array shape (errorcodes.htm,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm); the errorCode and message
// for 412 and for the malformed header are UNCONFIRMED (Salesforce documents only the statuses).
// API: preconditionFailed(request, reply, lastModifiedMs, write) → true when it answered.
import type { FastifyReply, FastifyRequest } from 'fastify'

import { sendError } from './errors.js'

/** An HTTP-date as epoch ms, or undefined when the value is not one. */
export function parseHttpDate(value: string): number | undefined {
  // IMF-fixdate, or the obsolete forms Date.parse also reads; a bare number or ISO string is not an HTTP-date.
  if (!/^[A-Za-z]{3},?\s/.test(value.trim()) && !/^[A-Za-z]{3,9}day,?\s/.test(value.trim())) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' ? value : undefined
}

export function preconditionFailed(
  request: FastifyRequest,
  reply: FastifyReply,
  lastModifiedMs: number,
  write: boolean,
): boolean {
  const modified = Math.floor(lastModifiedMs / 1000) * 1000
  const unmodifiedSince = header(request, 'if-unmodified-since')
  if (unmodifiedSince !== undefined) {
    const since = parseHttpDate(unmodifiedSince)
    if (since === undefined && write) {
      sendError(reply, 400, 'INVALID_HEADER_VALUE', `Invalid If-Unmodified-Since header: ${unmodifiedSince}`)
      return true
    }
    if (since !== undefined && modified > since) {
      sendError(
        reply,
        412,
        'PRECONDITION_FAILED',
        `The requested resource has been modified since ${new Date(modified).toUTCString()}`,
      )
      return true
    }
  }
  const modifiedSince = header(request, 'if-modified-since')
  const since = modifiedSince === undefined ? undefined : parseHttpDate(modifiedSince)
  if (since !== undefined && modified <= since) {
    if (write)
      sendError(
        reply,
        412,
        'PRECONDITION_FAILED',
        `The requested resource has not been modified since ${new Date(since).toUTCString()}`,
      )
    else void reply.code(304).send()
    return true
  }
  return false
}
