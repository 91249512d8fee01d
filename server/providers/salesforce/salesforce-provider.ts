// Salesforce as a CrmProvider: OAuth through our own client (oauth-client.ts), data calls through a guarded
// jsforce connection (salesforce-api.ts) wrapped in the typed client (salesforce-client.ts).
import type { ChangeStream, CrmProvider } from '../crm-provider.js'
import { buildAuthorizeUrl, createPkcePair, requestToken, revokeToken } from './oauth-client.js'
import type { OutboundGuard } from './outbound-guard.js'
import { salesforceRecordUrl } from './record-url.js'
import { createApiConnection } from './salesforce-api.js'
import { createSalesforceClient } from './salesforce-client.js'
import { isSalesforceError, SalesforceError } from './salesforce-errors.js'
import { checkTopic, runChangeStream } from './pubsub/change-stream.js'
import { createPubSubClient, type PubSubEndpoint } from './pubsub/pubsub-client.js'

export interface SalesforceProviderOptions {
  guard: OutboundGuard
  /** REST API version, such as "62.0" (CRM_API_VERSION). */
  apiVersion: string
  /** Deadline of one HTTP call (CRM_HTTP_TIMEOUT_MS). */
  timeoutMs: number
  /** The Pub/Sub API endpoint for change events (CRM_PUBSUB_ENDPOINT, CRM_PUBSUB_CA_FILE). */
  pubSub?: PubSubEndpoint | undefined
}

const SALESFORCE_PUBSUB: PubSubEndpoint = { address: 'api.pubsub.salesforce.com:7443', caPem: undefined }

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
    checkChangeEvents: async (auth) => {
      const client = await createPubSubClient(options.pubSub ?? SALESFORCE_PUBSUB, options.guard)
      try {
        await checkTopic(client, auth)
      } finally {
        client.close()
      }
    },
    openChangeStream: (stream) => {
      let closed = false
      let inner: ChangeStream | undefined
      const started = createPubSubClient(options.pubSub ?? SALESFORCE_PUBSUB, options.guard).then(
        (client) => {
          if (closed) return client.close()
          const running = runChangeStream(client, stream)
          inner = { close: () => running.close().finally(() => client.close()) }
        },
        // The endpoint itself is refused (outbound guard): nothing to retry until the operator changes it.
        (err: unknown) =>
          stream.onStatus({
            state: 'error',
            error: isSalesforceError(err)
              ? err
              : new SalesforceError('unreachable', String(err), 'Check CRM_PUBSUB_ENDPOINT.'),
            retryInMs: 0,
          }),
      )
      return {
        close: async () => {
          closed = true
          await started
          await inner?.close()
        },
      }
    },
  }
}
