// All raw HTTP to Salesforce goes through here: the outbound guard first, one deadline for the whole exchange
// (connecting, the headers and every byte of the body), and redirects refused rather than followed (a redirect
// could point anywhere). The body is read here, inside the deadline, so a response cut or stalled mid-body
// rejects with a classified, retryable SalesforceError instead of leaving the caller waiting.
import type { OutboundGuard } from './outbound-guard.js'
import { SalesforceError } from './salesforce-errors.js'

export interface HttpDeps {
  guard: OutboundGuard
  timeoutMs: number
  /** Aborts the call early (Test Connection's overall 15-second budget, shutdown). */
  signal?: AbortSignal | undefined
}

/** A response whose body arrived whole. */
export interface WholeResponse {
  status: number
  ok: boolean
  headers: Headers
  body: string
}

export async function guardedFetch(
  deps: HttpDeps,
  url: string,
  init: RequestInit = {},
): Promise<WholeResponse> {
  return fetchWhole(await deps.guard.check(url), init, deps)
}

/** One HTTP exchange under one deadline; the target must already have passed the outbound guard. */
export async function fetchWhole(
  target: URL,
  init: RequestInit,
  deps: Pick<HttpDeps, 'timeoutMs' | 'signal'>,
): Promise<WholeResponse> {
  const timeout = AbortSignal.timeout(deps.timeoutMs)
  const signal = deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout
  let response: Response
  try {
    response = await fetch(target, { ...init, redirect: 'manual', signal })
  } catch (err) {
    throw toNetworkError(err, target, deps.timeoutMs)
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel()
    throw redirectRefused(target, response)
  }
  // undici's body stream errors when the connection closes before Content-Length bytes or before the last
  // chunk, and is aborted by the signal when the body stops arriving (https://fetch.spec.whatwg.org/#abort-fetch).
  const chunks: Uint8Array[] = []
  let received = 0
  try {
    const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader()
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      chunks.push(read.value)
      received += read.value.byteLength
    }
  } catch (err) {
    throw toBodyError(err, target, deps.timeoutMs, received, response.headers.get('content-length'))
  }
  return {
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  }
}

function redirectRefused(target: URL, response: Response): SalesforceError {
  const location = response.headers.get('location') ?? 'an unknown place'
  return new SalesforceError(
    'redirect_refused',
    `${target.host} answered with a redirect to ${safeLocation(location)}; the module does not follow redirects.`,
    "Use the org's My Domain URL exactly as Setup > My Domain shows it (https://<name>.my.salesforce.com).",
    undefined,
    response.status,
  )
}

function safeLocation(location: string): string {
  try {
    const url = new URL(location)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return 'an invalid address'
  }
}

const isAbort = (err: unknown) =>
  err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')

export function toNetworkError(err: unknown, target: URL, timeoutMs: number): SalesforceError {
  if (isAbort(err)) {
    return new SalesforceError(
      'timeout',
      `${target.host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      "Salesforce may be slow or unreachable from this server; check the URL, the server's outbound firewall, and https://status.salesforce.com.",
    )
  }
  return new SalesforceError(
    'unreachable',
    `Could not reach ${target.host} (${causeCode(err)}).`,
    'Check the Web Services URL and that this server can open outbound https connections to Salesforce.',
  )
}

function toBodyError(
  err: unknown,
  target: URL,
  timeoutMs: number,
  received: number,
  contentLength: string | null,
): SalesforceError {
  const of = contentLength === null ? '' : ` of ${contentLength}`
  if (isAbort(err)) {
    return new SalesforceError(
      'timeout',
      `${target.host} stopped sending its answer: ${received}${of} bytes arrived within ${Math.round(timeoutMs / 1000)} s.`,
      'A slow or broken network path to Salesforce; the sync retries with backoff.',
    )
  }
  return new SalesforceError(
    'unreachable',
    `The connection to ${target.host} broke after ${received}${of} bytes of the answer (${causeCode(err)}).`,
    'A network interruption between this server and Salesforce; the sync retries with backoff.',
  )
}

function causeCode(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined
  if (cause && 'code' in cause) return String(cause.code)
  return err instanceof Error ? err.message : 'network error'
}
