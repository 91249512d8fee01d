// The module only ever calls Salesforce. Both the Web Services URL an admin types and the instance_url
// Salesforce returns must be https on a Salesforce host, and must not resolve to a private, loopback or
// link-local address (cloud metadata endpoints such as 169.254.169.254 live there). This keeps
// Test Connection from being used to probe the internal network (OWASP SSRF Prevention Cheat Sheet).
// Operators may allow extra hosts (CRM_ALLOWED_HOSTS), which is how the local emulator is reached.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'

import { SalesforceError } from './salesforce-errors.js'

// Salesforce's documented domains: My Domain (<name>.my.salesforce.com), sandboxes
// (<name>--<sandbox>.sandbox.my.salesforce.com), login/test.salesforce.com, and *.force.com (Lightning, Sites).
// Source: Salesforce Help "My Domain URL Formats" (help.salesforce.com, articleView?id=sf.domain_name_url_formats.htm).
const SALESFORCE_HOST = /^(?:[a-z0-9-]+\.)+(?:salesforce\.com|force\.com)$/

export type ResolveHost = (hostname: string) => Promise<string[]>

export interface OutboundGuard {
  /** Returns the parsed URL if the module may call it; throws a SalesforceError('url_not_allowed') otherwise. */
  check(url: string): Promise<URL>
}

const defaultResolve: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true })).map((a) => a.address)

export function createOutboundGuard(
  allowedHosts: readonly string[],
  resolve: ResolveHost = defaultResolve,
): OutboundGuard {
  const isOperatorAllowed = (url: URL) =>
    allowedHosts.some((entry) => {
      const [host, port = '*'] = splitHostPort(entry)
      const urlPort = url.port || (url.protocol === 'https:' ? '443' : '80')
      return host === url.hostname.toLowerCase() && (port === '*' || port === urlPort)
    })

  return {
    async check(raw) {
      let url: URL
      try {
        url = new URL(raw)
      } catch {
        throw notAllowed(
          `"${raw}" is not a URL.`,
          "Enter the org's My Domain URL, such as https://acme.my.salesforce.com.",
        )
      }
      if (url.username || url.password)
        throw notAllowed(
          'The URL must not contain a user name or password.',
          'Enter just https://<your domain>.my.salesforce.com.',
        )
      if (isOperatorAllowed(url)) {
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
          throw notAllowed(`The URL scheme ${url.protocol} is not supported.`, 'Use https.')
        return url
      }
      if (url.protocol !== 'https:') {
        throw notAllowed(
          'The URL must start with https://.',
          'Salesforce only accepts https. Copy the My Domain URL from Setup > My Domain.',
        )
      }
      const hostname = url.hostname.toLowerCase()
      if (isIP(hostname.replace(/^\[|\]$/g, '')) || !SALESFORCE_HOST.test(hostname)) {
        throw notAllowed(
          `${hostname} is not a Salesforce host.`,
          "Use your org's My Domain URL (https://<name>.my.salesforce.com, or https://<name>--<sandbox>.sandbox.my.salesforce.com for a sandbox). An operator can allow other hosts with CRM_ALLOWED_HOSTS.",
        )
      }
      let addresses: string[]
      try {
        addresses = await resolve(hostname)
      } catch {
        throw new SalesforceError(
          'unreachable',
          `${hostname} could not be found (DNS).`,
          'Check the spelling of the My Domain URL in Salesforce Setup > My Domain, and that this server can resolve public DNS names.',
        )
      }
      const internal = addresses.find(isInternalAddress)
      if (internal) {
        throw notAllowed(
          `${hostname} resolves to an internal address (${internal}).`,
          'The module only connects to Salesforce on the public internet.',
        )
      }
      return url
    },
  }
}

function notAllowed(message: string, hint: string): SalesforceError {
  return new SalesforceError('url_not_allowed', message, hint)
}

function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(entry)
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]]
  const [host = '', port] = entry.split(':')
  return [host, port]
}

/** Loopback, private (RFC 1918, RFC 4193), link-local (incl. cloud metadata), CGNAT, unspecified and multicast. */
export function isInternalAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number)
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    )
  }
  const v6 = address.toLowerCase()
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe80') ||
    v6.startsWith('ff')
  )
}
