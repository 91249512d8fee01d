// Every failure talking to Salesforce becomes one SalesforceError with a kind the CRM can act on and a hint
// an admin can follow. Messages never include tokens, passwords or secrets.

export type SalesforceErrorKind =
  | 'url_not_allowed'
  | 'unreachable'
  | 'timeout'
  | 'redirect_refused'
  | 'unknown_consumer_key'
  | 'invalid_consumer_secret'
  | 'authentication_failed'
  | 'refresh_token_invalid'
  | 'flow_not_enabled'
  | 'api_disabled'
  | 'no_access'
  | 'session_expired'
  | 'request_limit_exceeded'
  | 'server_error'
  | 'bad_response'
  | 'not_found'
  | 'invalid_request'

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError'

  constructor(
    readonly kind: SalesforceErrorKind,
    message: string,
    readonly hint: string,
    /** Salesforce's own code (`INVALID_SESSION_ID`, `invalid_grant`, ...) when it sent one. */
    readonly salesforceCode?: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

export function isSalesforceError(err: unknown, kind?: SalesforceErrorKind): err is SalesforceError {
  return err instanceof SalesforceError && (kind === undefined || err.kind === kind)
}

/** Translates a REST API error (`[{ message, errorCode }]`, SF REST API Developer Guide "Status Codes and Error Responses"). */
export function fromRestError(
  status: number,
  errorCode: string | undefined,
  message: string,
): SalesforceError {
  switch (errorCode) {
    case 'INVALID_SESSION_ID':
      return new SalesforceError(
        'session_expired',
        'The Salesforce session expired or was revoked.',
        'The module signs in again by itself; if this persists, use Test Connection.',
        errorCode,
        status,
      )
    case 'REQUEST_LIMIT_EXCEEDED':
      return new SalesforceError(
        'request_limit_exceeded',
        `Salesforce refused the request: API limit reached (${message}).`,
        'The org has used its daily API requests (Setup > Company Information shows the allowance). Syncing resumes by itself once requests are available again; lower the sync frequency or the API budget to leave room for other integrations.',
        errorCode,
        status,
      )
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return new SalesforceError(
        'api_disabled',
        'The Salesforce API is not enabled for this user or org.',
        'In Salesforce Setup, give the integration user a profile or permission set with "API Enabled". The org edition must include API access (Enterprise, Unlimited, Developer, Performance).',
        errorCode,
        status,
      )
    case 'INSUFFICIENT_ACCESS':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INVALID_TYPE':
      return new SalesforceError(
        'no_access',
        `The integration user cannot read this data (${message}).`,
        'Give the integration user Read access to Opportunities (and Accounts and Users) through its profile or a permission set.',
        errorCode,
        status,
      )
    case 'NOT_FOUND':
      return new SalesforceError(
        'not_found',
        message,
        'The record or resource does not exist in Salesforce.',
        errorCode,
        status,
      )
    default:
      if (status >= 500) {
        return new SalesforceError(
          'server_error',
          `Salesforce answered ${status}${errorCode ? ` ${errorCode}` : ''}: ${message}`,
          'Salesforce had a problem on its side. The sync retries with backoff; check https://status.salesforce.com if it persists.',
          errorCode,
          status,
        )
      }
      return new SalesforceError(
        'invalid_request',
        `Salesforce refused the request (${errorCode ?? status}): ${message}`,
        'See the Salesforce error code above.',
        errorCode,
        status,
      )
  }
}
