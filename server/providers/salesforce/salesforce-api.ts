// A jsforce Connection for data calls (query, describe, limits), with three things jsforce does not do by
// itself: it only talks to the instance the outbound guard approved, it never follows redirects, and when
// Salesforce answers 401 INVALID_SESSION_ID it signs in again through our OAuth client (refreshFn), once.
import { PassThrough } from 'node:stream'

import { Connection } from '@jsforce/jsforce-node'
import { Transport } from '@jsforce/jsforce-node/lib/transport.js'
import type { HttpRequest, HttpResponse } from '@jsforce/jsforce-node/lib/types/index.js'
import { StreamPromise } from '@jsforce/jsforce-node/lib/util/promise.js'

import { withClientId } from './call-options.js'
import { fetchWhole } from './guarded-fetch.js'

import type { TokenSet } from './oauth-client.js'
import { SalesforceError, fromRestError } from './salesforce-errors.js'

export interface ApiOptions {
  apiVersion: string
  timeoutMs: number
  /** Signs in again (refresh token, client credentials or password grant) and returns the new tokens. */
  reauthenticate: () => Promise<TokenSet>
}

/**
 * jsforce's own transport (lib/request.js in @jsforce/jsforce-node 3.10.16, src/request.ts upstream) times only
 * the wait for the headers and then pipes the body without listening for its errors (`res.body.pipe(output)`),
 * so a body cut short or stalled never settles. This one sends every call through fetchWhole: the instance the
 * outbound guard approved, one deadline over connecting, headers and the whole body, no redirects, and no
 * retries of its own (the call tracker retries with backoff, so every attempt is counted).
 */
class GuardedTransport extends Transport {
  constructor(
    private readonly allowedOrigin: () => string,
    private readonly options: Pick<ApiOptions, 'timeoutMs'>,
  ) {
    super()
  }

  override httpRequest(request: HttpRequest): StreamPromise<HttpResponse> {
    return StreamPromise.create(() => {
      const stream = new PassThrough()
      const promise = this.send(request).then(
        (response) => {
          stream.end(response.body)
          return response
        },
        (err: unknown) => {
          stream.destroy()
          throw err
        },
      )
      return { stream, promise }
    })
  }

  private async send(request: HttpRequest): Promise<HttpResponse> {
    const target = new URL(request.url)
    if (target.origin !== this.allowedOrigin()) {
      throw new SalesforceError(
        'url_not_allowed',
        `Refused a call to ${target.origin}: the module only calls the org's instance.`,
        'This is a safety stop; report it if it happens.',
      )
    }
    // fetch sets Content-Length itself from the body.
    const headers = withClientId(
      Object.fromEntries(
        Object.entries(request.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-length'),
      ),
    )
    const response = await fetchWhole(
      target,
      { method: request.method, headers, ...requestBody(request) },
      this.options,
    )
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers),
      body: response.body,
    }
  }
}

/** The bodies our calls send (JSON text, form fields); streamed uploads are not used. */
function requestBody({ body }: HttpRequest): { body?: string | Buffer | URLSearchParams } {
  if (body === undefined || body === null) return {}
  if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof URLSearchParams) return { body }
  throw new SalesforceError(
    'invalid_request',
    'A streamed request body is not supported by the guarded transport.',
    'This is a programming error; report it.',
  )
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
