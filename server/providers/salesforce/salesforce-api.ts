// A jsforce Connection for data calls (query, describe, limits), with three things jsforce does not do by
// itself: it only talks to the instance the outbound guard approved, it never follows redirects, and when
// Salesforce answers 401 INVALID_SESSION_ID it signs in again through our OAuth client (refreshFn), once.
import { Connection } from '@jsforce/jsforce-node'
import { Transport } from '@jsforce/jsforce-node/lib/transport.js'
import type { HttpRequest, HttpRequestOptions } from '@jsforce/jsforce-node/lib/types/index.js'

import type { TokenSet } from './oauth-client.js'
import { SalesforceError, fromRestError } from './salesforce-errors.js'

export interface ApiOptions {
  apiVersion: string
  timeoutMs: number
  /** Signs in again (refresh token, client credentials or password grant) and returns the new tokens. */
  reauthenticate: () => Promise<TokenSet>
}

class GuardedTransport extends Transport {
  constructor(
    private readonly allowedOrigin: () => string,
    private readonly options: Pick<ApiOptions, 'timeoutMs'>,
  ) {
    super()
  }

  override httpRequest(request: HttpRequest, options: HttpRequestOptions = {}) {
    const origin = new URL(request.url).origin
    if (origin !== this.allowedOrigin()) {
      throw new SalesforceError(
        'url_not_allowed',
        `Refused a call to ${origin}: the module only calls the org's instance.`,
        'This is a safety stop; report it if it happens.',
      )
    }
    return super.httpRequest(request, {
      ...options,
      followRedirect: false,
      timeout: this.options.timeoutMs,
      // jsforce's own retries are off: the call tracker retries with backoff, so every attempt is counted.
      retry: { ...options.retry, maxRetries: 0 },
    })
  }
}

export function createApiConnection(
  tokens: Pick<TokenSet, 'accessToken' | 'instanceUrl'>,
  options: ApiOptions,
): Connection {
  const connection: Connection = new Connection({
    instanceUrl: tokens.instanceUrl,
    accessToken: tokens.accessToken,
    version: options.apiVersion,
    refreshFn: (conn, callback) => {
      options.reauthenticate().then(
        (fresh) => {
          conn.instanceUrl = fresh.instanceUrl
          callback(null, fresh.accessToken)
        },
        (err: unknown) => {
          callback(err instanceof Error ? err : new Error(String(err)))
        },
      )
    },
  })
  // jsforce picks its transport in the constructor; this is the documented extension point it uses for
  // proxies (HttpProxyTransport), and the only way to stop redirects and foreign hosts for every call.
  connection._transport = new GuardedTransport(() => new URL(connection.instanceUrl).origin, options)
  return connection
}

/** Turns whatever jsforce threw into a SalesforceError. */
export function toSalesforceError(err: unknown): SalesforceError {
  if (err instanceof SalesforceError) return err
  if (!(err instanceof Error))
    return new SalesforceError('bad_response', String(err), 'Unexpected answer from Salesforce.')
  // A failed refresh comes back wrapped by jsforce ("Unable to refresh session due to: ..."); the cause we
  // threw from reauthenticate() is lost in that wrapping, so callers check the connection status instead.
  const errorCode = 'errorCode' in err && typeof err.errorCode === 'string' ? err.errorCode : undefined
  const status = /^ERROR_HTTP_(\d+)$/.exec(errorCode ?? '')?.[1]
  if (errorCode && !status) return fromRestError(statusFor(errorCode), errorCode, err.message, fieldsOf(err))
  if (status) return fromRestError(Number(status), undefined, err.message)
  const code = 'code' in err ? String(err.code) : ''
  if (/ETIMEDOUT|ESOCKETTIMEDOUT|TimeoutError|timed out/i.test(`${code} ${err.name} ${err.message}`)) {
    return new SalesforceError(
      'timeout',
      'Salesforce did not answer in time.',
      'Salesforce may be slow; the sync retries with backoff.',
    )
  }
  if (
    /ECONNRESET|ECONNREFUSED|ENOTFOUND|EPIPE|socket|network|fetch failed|terminated/i.test(
      `${code} ${err.message}`,
    )
  ) {
    return new SalesforceError(
      'unreachable',
      `The connection to Salesforce failed (${code || err.message}).`,
      'A network problem between this server and Salesforce; the sync retries with backoff.',
    )
  }
  if (/Unable to refresh session/i.test(err.message)) {
    return new SalesforceError(
      'session_expired',
      'Signing in to Salesforce again failed.',
      'See the connection status in Module Settings > Setup.',
    )
  }
  if (err instanceof SyntaxError || /Unexpected end of JSON|JSON/i.test(err.message)) {
    return new SalesforceError(
      'bad_response',
      'Salesforce sent an incomplete or malformed answer.',
      'Usually a network interruption; the sync retries.',
    )
  }
  return new SalesforceError('bad_response', err.message, 'Unexpected answer from Salesforce.')
}

/** The `fields` of the error body jsforce keeps as `data` (HttpApiError). */
function fieldsOf(err: Error): string[] {
  const data = 'data' in err ? (err.data as { fields?: unknown } | undefined) : undefined
  return Array.isArray(data?.fields) ? data.fields.filter((f): f is string => typeof f === 'string') : []
}

function statusFor(errorCode: string): number {
  if (errorCode === 'PRECONDITION_FAILED') return 412
  if (errorCode === 'ENTITY_IS_DELETED') return 404
  if (errorCode === 'INVALID_SESSION_ID') return 401
  if (
    errorCode === 'REQUEST_LIMIT_EXCEEDED' ||
    errorCode.startsWith('API_') ||
    errorCode.startsWith('INSUFFICIENT')
  )
    return 403
  if (errorCode === 'NOT_FOUND') return 404
  if (errorCode === 'SERVER_UNAVAILABLE') return 503
  return 400
}
