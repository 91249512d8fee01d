// Authentication of a Pub/Sub call: the metadata headers accesstoken (an OAuth access token or session id),
// instanceurl and tenantid (the org id) on every call
// (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html).
import type { Metadata } from '@grpc/grpc-js'

import type { Session } from '../org/auth-state.js'
import type { Org } from '../org/org.js'

const header = (metadata: Metadata, name: string) => {
  const value = metadata.get(name)[0]
  return typeof value === 'string' ? value : value?.toString('utf8')
}

// Salesforce instance URLs are https; the emulator's is http on loopback, so clients that insist on https may
// name it with either scheme.
const bare = (url: string) =>
  url
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
const sameUrl = (a: string, b: string) => bare(a) === bare(b)

/** The caller's session, or the reason it has none. */
export function authenticate(org: Org, instanceUrl: string, metadata: Metadata): Session | string {
  const accessToken = header(metadata, 'accesstoken')
  const tenantId = header(metadata, 'tenantid')
  const url = header(metadata, 'instanceurl')
  if (!accessToken || !tenantId || !url) return 'Missing accesstoken, instanceurl or tenantid header.'
  if (tenantId !== org.id && tenantId !== org.id.slice(0, 15))
    return 'The tenantid header does not name this org.'
  if (!sameUrl(url, instanceUrl)) return "The instanceurl header is not this org's instance URL."
  const session = org.auth.sessionFor(accessToken)
  if (!session) return 'The access token is invalid, expired or revoked.'
  return session
}
