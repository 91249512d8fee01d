// Salesforce as a CrmProvider: OAuth through our own client (oauth-client.ts), data calls through a guarded
// jsforce connection (salesforce-api.ts) wrapped in the typed client (salesforce-client.ts).
import type { CrmProvider } from '../crm-provider.js'
import { buildAuthorizeUrl, createPkcePair, requestToken, revokeToken } from './oauth-client.js'
import type { OutboundGuard } from './outbound-guard.js'
import { salesforceRecordUrl } from './record-url.js'
import { createApiConnection } from './salesforce-api.js'
import { createSalesforceClient } from './salesforce-client.js'

export interface SalesforceProviderOptions {
  guard: OutboundGuard
  /** REST API version, such as "62.0" (CRM_API_VERSION). */
  apiVersion: string
  /** Deadline of one HTTP call (CRM_HTTP_TIMEOUT_MS). */
  timeoutMs: number
}

export function createSalesforceProvider(options: SalesforceProviderOptions): CrmProvider {
  const http = (signal?: AbortSignal) => ({ guard: options.guard, timeoutMs: options.timeoutMs, signal })
  return {
    kind: 'salesforce',
    checkUrl: (url) => options.guard.check(url),
    signIn: (app, grant, call = {}) => requestToken(http(call.signal), app, grant),
    revoke: (baseUrl, token) => revokeToken(http(), baseUrl, token),
    authorizeUrl: (app, redirectUri, state) => {
      const { verifier, challenge } = createPkcePair()
      return { url: buildAuthorizeUrl(app, redirectUri, state, challenge), codeVerifier: verifier }
    },
    openSession: (tokens, session) => {
      const connection = createApiConnection(tokens, {
        apiVersion: options.apiVersion,
        timeoutMs: options.timeoutMs,
        reauthenticate: session.reauthenticate,
      })
      return createSalesforceClient(connection, options.apiVersion, session.calls, session.writeRetry)
    },
    recordUrl: salesforceRecordUrl,
  }
}
