// The one typed fetch wrapper. Every call names an endpoint contract from contracts/api, so the path,
// params, query, body and response types come from the same object the server validates against.
import type {
  ApiErrorBody,
  Endpoint,
  EndpointBody,
  EndpointParams,
  EndpointQuery,
  EndpointResponse,
  ErrorCode,
} from '../../../contracts/api/endpoint.js'

/** An endpoint without a schema for a slot infers `unknown` there; treat that as "nothing to send". */
type Known<T> = unknown extends T ? undefined : T

type Slot<K extends string, T> =
  Known<T> extends undefined
    ? { [P in K]?: undefined }
    : object extends Known<T>
      ? { [P in K]?: Known<T> }
      : { [P in K]: Known<T> }

export type CallOptions<E> = Slot<'params', EndpointParams<E>> &
  Slot<'query', EndpointQuery<E>> &
  Slot<'body', EndpointBody<E>>

export type CallResult<E> = Known<EndpointResponse<E>>

/** An API error with the server's `{ error: { code, message, fields? } }` body. */
export class ApiError extends Error {
  readonly status: number
  /** A server error code, or NETWORK when the server could not be reached at all. */
  readonly code: ErrorCode | 'NETWORK'
  readonly fields: Record<string, string>
  /** Structured detail some codes carry (EDIT_CONFLICT: both values per field). */
  readonly details: Record<string, unknown> | undefined

  constructor(
    status: number,
    code: ApiError['code'],
    message: string,
    fields?: Record<string, string>,
    details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields ?? {}
    this.details = details
  }
}

export function isApiError<C extends ApiError['code']>(
  err: unknown,
  ...codes: C[]
): err is ApiError & { code: C } {
  return err instanceof ApiError && (codes.length === 0 || (codes as ApiError['code'][]).includes(err.code))
}

// The CSRF token lives with the session (GET /api/auth/session, login, setup). The session hooks hand it
// over here so every state-changing call carries it without each caller passing it along.
let csrfToken: string | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

function buildUrl(path: string, params: unknown, query: unknown): string {
  const values = (params ?? {}) as Record<string, string>
  const filled = path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`)
    return encodeURIComponent(value)
  })
  const search = new URLSearchParams()
  // Arrays repeat the key (`?stage=A&stage=B`), the form the contracts' list filters accept.
  const entries = Object.entries(
    (query ?? {}) as Record<string, string | number | boolean | undefined | string[]>,
  )
  for (const [key, value] of entries) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== '') search.append(key, String(item))
    }
  }
  const queryString = search.toString()
  return queryString ? `${filled}?${queryString}` : filled
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>
    const error = body.error
    if (error?.code)
      return new ApiError(
        response.status,
        error.code as ErrorCode,
        error.message,
        error.fields,
        error.details,
      )
  } catch {
    // Not JSON (a proxy error page, say): fall through to a generic message.
  }
  return new ApiError(
    response.status,
    'INTERNAL',
    `The server answered ${response.status}. Try again in a moment.`,
  )
}

export async function callApi<E extends Endpoint>(
  endpoint: E,
  ...[options]: object extends CallOptions<E> ? [options?: CallOptions<E>] : [options: CallOptions<E>]
): Promise<CallResult<E>> {
  const { params, query, body } = (options ?? {}) as { params?: unknown; query?: unknown; body?: unknown }
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (endpoint.method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  // Endpoints without a body get neither a body nor a Content-Type: the server rejects an empty JSON body.
  const hasBody = endpoint.body !== undefined && body !== undefined
  if (hasBody) headers['Content-Type'] = 'application/json'

  let response: Response
  try {
    response = await fetch(buildUrl(endpoint.path, params, query), {
      method: endpoint.method,
      headers,
      credentials: 'same-origin',
      ...(hasBody ? { body: JSON.stringify(body) } : {}),
    })
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.')
  }
  if (!response.ok) throw await readError(response)
  if (response.status === 204 || endpoint.response === undefined) return undefined as CallResult<E>
  return (await response.json()) as CallResult<E>
}

/** Checks a form against the endpoint's own body schema, so the form shows the server's messages up front. */
export function validateBody<E extends Endpoint>(endpoint: E, body: unknown): Record<string, string> {
  const result = endpoint.body?.safeParse(body)
  if (!result || result.success) return {}
  const fields: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || 'body'
    fields[path] ??= issue.message
  }
  return fields
}

/** Sends a file's bytes (application/octet-stream) to an endpoint that takes a binary body. */
export async function uploadBytes<E extends Endpoint>(
  endpoint: E,
  options: { params?: EndpointParams<E>; query?: EndpointQuery<E> },
  bytes: Blob,
): Promise<CallResult<E>> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/octet-stream',
  }
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken
  let response: Response
  try {
    response = await fetch(buildUrl(endpoint.path, options.params, options.query), {
      method: endpoint.method,
      headers,
      credentials: 'same-origin',
      body: bytes,
    })
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.')
  }
  if (!response.ok) throw await readError(response)
  return (await response.json()) as CallResult<E>
}
