// The one error type of the application. Services throw AppError with a code; the single error handler in
// server/http/error-handler.ts turns it into `{ error: { code, message, fields? } }` with the status below.
import type { ErrorCode } from '../contracts/api/endpoint.js'

const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  MALFORMED_REQUEST: 400,
  REQUEST_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  ACCOUNT_DISABLED: 403,
  SETUP_LINK_INVALID: 410,
  RESET_LINK_INVALID: 410,
  MODULE_DISABLED: 403,
  // A record deleted in Salesforce: the link was valid once, so 410 Gone rather than 404.
  OPPORTUNITY_DELETED: 410,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // A live read (cache off) could not reach Salesforce, or the org's API limit is used up.
  CRM_UNAVAILABLE: 503,
  SSO_REQUIRED: 403,
  EDITS_DISABLED: 403,
  ADMINS_ONLY: 403,
  EDIT_CONFLICT: 409,
  // The request was well formed, but Salesforce's rules refused its values (RFC 9110 §15.5.21).
  CRM_REJECTED: 422,
  // The org's state (Change Data Capture off for Opportunity, no access) refuses the switch until fixed there.
  REALTIME_UNAVAILABLE: 409,
  SELECTION_CHANGED: 409,
  SELECTION_TOO_LARGE: 400,
  INTERNAL: 500,
}

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.status = statusByCode[code]
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} was not found.`)
}
