// All raw HTTP to Salesforce goes through here: the outbound guard first, a hard timeout, and redirects
// refused rather than followed (a redirect could point anywhere).
import type { OutboundGuard } from './outbound-guard.js'
import { SalesforceError } from './salesforce-errors.js'

export interface HttpDeps {
  guard: OutboundGuard
  timeoutMs: number
  /** Aborts the call early (Test Connection's overall 15-second budget, shutdown). */
  signal?: AbortSignal | undefined
}

export async function guardedFetch(deps: HttpDeps, url: string, init: RequestInit = {}): Promise<Response> {
  const target = await deps.guard.check(url)
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
    const location = response.headers.get('location') ?? 'an unknown place'
    throw new SalesforceError(
      'redirect_refused',
      `${target.host} answered with a redirect to ${safeLocation(location)}; the module does not follow redirects.`,
      "Use the org's My Domain URL exactly as Setup > My Domain shows it (https://<name>.my.salesforce.com).",
      undefined,
      response.status,
    )
  }
  return response
}

function safeLocation(location: string): string {
  try {
    const url = new URL(location)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return 'an invalid address'
  }
}

export function toNetworkError(err: unknown, target: URL, timeoutMs: number): SalesforceError {
  const name = err instanceof Error ? err.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SalesforceError(
      'timeout',
      `${target.host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      "Salesforce may be slow or unreachable from this server; check the URL, the server's outbound firewall, and https://status.salesforce.com.",
    )
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined
  const code = cause && 'code' in cause ? String(cause.code) : 'network error'
  return new SalesforceError(
    'unreachable',
    `Could not reach ${target.host} (${code}).`,
    'Check the Web Services URL and that this server can open outbound https connections to Salesforce.',
  )
}
