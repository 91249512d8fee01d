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
  // Answers to a write (CrmSession.updateRecord):
  /** The record changed in the CRM since the user saw it (412 to If-Unmodified-Since). */
  | 'conflict'
  /** A validation rule refused the values; `fields` names where its message belongs. */
  | 'validation'
  /** The integration user may not write a field (read only, or hidden by field-level security). */
  | 'read_only_field'
  /** A value outside a restricted picklist. */
  | 'bad_picklist_value'
  /** The record was deleted in the CRM meanwhile. */
  | 'deleted'
  /** Another transaction held the row (retried with backoff before this is thrown). */
  | 'locked'
  // Change Data Capture over the Pub/Sub API:
  /** Change events are not enabled for the object in the org (or the topic does not exist). */
  | 'cdc_disabled'
  /** A stored replay id is past retention (72 hours) or unknown: the stream must start elsewhere. */
  | 'replay_stale'

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError'

  constructor(
    readonly kind: SalesforceErrorKind,
    message: string,
    readonly hint: string,
    /** Salesforce's own code (`INVALID_SESSION_ID`, `invalid_grant`, ...) when it sent one. */
    readonly salesforceCode?: string,
    readonly status?: number,
    /** The fields Salesforce named in its error (`fields` of the error body), when it named any. */
    readonly fields: readonly string[] = [],
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
  fields: readonly string[] = [],
): SalesforceError {
  const write = writeError(status, errorCode, message, fields)
  if (write) return write
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

/**
 * The answers a record update can get (REST API "Status Codes and Error Responses",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm; the codes are the SOAP
 * API's StatusCode values, https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm;
 * 412 from "Conditional Request Headers", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/intro_rest_conditional_requests.htm).
 */
function writeError(
  status: number,
  errorCode: string | undefined,
  message: string,
  fields: readonly string[],
): SalesforceError | undefined {
  const make = (kind: SalesforceErrorKind, text: string, hint: string) =>
    new SalesforceError(kind, text, hint, errorCode, status, fields)
  if (status === 412 || errorCode === 'PRECONDITION_FAILED')
    return make(
      'conflict',
      'The record was changed in Salesforce after you loaded it.',
      'Compare your value with the one in Salesforce, then re-apply yours or keep theirs.',
    )
  switch (errorCode) {
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return make('validation', message, 'A validation rule in Salesforce refused the value.')
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
      return make(
        'read_only_field',
        `Salesforce does not let the module change ${fields.join(', ') || 'this field'}.`,
        "The integration user's profile or permission set makes the field read only (field-level security); an admin can change it in Salesforce Setup or stop offering the field.",
      )
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
      return make(
        'bad_picklist_value',
        `That value is not one of the allowed values of ${fields.join(', ') || 'the picklist'}.`,
        'Pick one of the values Salesforce lists for the field.',
      )
    case 'ENTITY_IS_DELETED':
      return make(
        'deleted',
        'The record was deleted in Salesforce.',
        'Nothing was changed; the next sync removes it here.',
      )
    case 'UNABLE_TO_LOCK_ROW':
      return make(
        'locked',
        'Salesforce is busy updating this record; your change was not saved.',
        'Another process held the record. Try again in a moment.',
      )
    default:
      return undefined
  }
}
