// A real OpenID Provider for tests: panva's oidc-provider (8.x, the last line that supports Node 20) on an
// ephemeral port, with its development login form (any password), accounts the test defines, key rotation,
// and a hook that re-signs the next ID token with changed claims or another key (what a misbehaving or
// hostile provider would send). Test-only; never imported by production code.
import { createPrivateKey, createSign, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import Provider, { type Configuration } from 'oidc-provider'

export interface TestAccount {
  email?: string
  email_verified?: boolean
  name?: string
  groups?: string[]
  [claim: string]: unknown
}

export interface TestClient {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
}

interface SigningKey extends JsonWebKey {
  kid: string
}

/** Changes the next ID token: its claims, and which key signs it ('retired' = the key before the last rotation). */
export type IdTokenTamper = (claims: Record<string, unknown>) => {
  claims: Record<string, unknown>
  signWith?: 'current' | 'retired' | 'unknown'
}

export interface TestIdentityProvider {
  issuer: string
  accounts: Map<string, TestAccount>
  /** A new signing key; `keepOld` keeps publishing the previous one (a graceful rotation). */
  rotateKeys(options: { keepOld: boolean }): void
  tamperNextIdToken(tamper: IdTokenTamper): void
  /** Follows an authorization URL as a browser would, signing in as `accountId`; returns the redirect back. */
  signIn(authorizeUrl: string, accountId: string): Promise<URL>
  /** Follows an RP-initiated logout URL through the provider's confirmation; returns the redirect back. */
  confirmLogout(endSessionUrl: string): Promise<URL>
  close(): Promise<void>
}

function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = privateKey.export({ format: 'jwk' })
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }
}

export async function startTestIdentityProvider(options: {
  clients: TestClient[]
  accounts?: Record<string, TestAccount>
}): Promise<TestIdentityProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}))
  let keys: SigningKey[] = [newSigningKey()]
  let retired: SigningKey | undefined
  let tamper: IdTokenTamper | undefined
  let provider: Provider | undefined

  const server: Server = createServer((request, response) => {
    if (tamper && request.method === 'POST' && request.url === '/token') {
      const change = tamper
      tamper = undefined
      rewriteIdToken(response, (token) => resign(token, change, { keys, retired }))
    }
    if (!provider) return void response.writeHead(503).end()
    void provider.callback()(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const configure = (): Configuration => ({
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // Like Okta, Entra ID and Keycloak: the ID token carries the claims of the granted scopes.
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 3600 },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return { accountId: id, claims: () => ({ sub: id, ...account }) }
    },
    // First-party app: consent is implied, so the test drives the login form only.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session
      const client = ctx.oidc.client
      if (!session?.accountId || !client) return undefined
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope('openid email profile groups')
      await grant.save()
      return grant
    },
  })
  const build = (): Provider => {
    // Each instance warns that it uses the development adapter and login form, which is the point here.
    const warn = console.warn
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).startsWith('oidc-provider WARNING: a quick start')) warn(...args)
    }
    try {
      return new Provider(issuer, configure())
    } finally {
      console.warn = warn
    }
  }
  provider = build()

  return {
    issuer,
    accounts,
    rotateKeys({ keepOld }) {
      const fresh = newSigningKey()
      retired = keys[0]
      keys = keepOld && retired ? [fresh, retired] : [fresh]
      provider = build()
    },
    tamperNextIdToken(change) {
      tamper = change
    },
    signIn: (authorizeUrl, accountId) => browse(authorizeUrl, { login: accountId }),
    confirmLogout: (endSessionUrl) => browse(endSessionUrl, {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }

  // Follows redirects and submits the provider's own forms (login, logout confirmation) until the provider
  // sends the browser somewhere else, which is returned.
  async function browse(start: string, fields: { login?: string }): Promise<URL> {
    const cookies = new Map<string, string>()
    let url = new URL(start)
    let init: RequestInit = { method: 'GET' }
    for (let hop = 0; hop < 12; hop += 1) {
      const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie },
      })
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';')
        const at = pair.indexOf('=')
        cookies.set(pair.slice(0, at), pair.slice(at + 1))
      }
      const location = response.headers.get('location')
      if (location) {
        const next = new URL(location, url)
        if (next.origin !== issuer) return next
        url = next
        init = { method: 'GET' }
        continue
      }
      const html = await response.text()
      const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html)
      if (!form?.[1])
        throw new Error(`provider answered ${response.status} without a form: ${html.slice(0, 300)}`)
      const body = new URLSearchParams(hiddenInputs(form[2] ?? ''))
      if (body.get('prompt') === 'login') {
        body.set('login', fields.login ?? '')
        body.set('password', 'any password')
      }
      if (/name="logout"/.test(html)) body.set('logout', 'yes')
      url = new URL(form[1].replace(/&amp;/g, '&'), url)
      init = {
        method: 'POST',
        body: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }
    }
    throw new Error('too many hops at the test identity provider')
  }
}

function hiddenInputs(formHtml: string): Array<[string, string]> {
  const inputs: Array<[string, string]> = []
  for (const match of formHtml.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1]
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? ''
    if (name) inputs.push([name, value])
  }
  return inputs
}

// Catches the token endpoint's JSON answer and replaces its id_token before it leaves.
function rewriteIdToken(response: ServerResponse<IncomingMessage>, change: (token: string) => string): void {
  const end = response.end.bind(response)
  const chunks: Buffer[] = []
  response.write = ((chunk: string | Buffer) => {
    chunks.push(Buffer.from(chunk))
    return true
  }) as typeof response.write
  response.end = ((chunk?: string | Buffer) => {
    if (chunk) chunks.push(Buffer.from(chunk))
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string }
    if (body.id_token) body.id_token = change(body.id_token)
    const text = JSON.stringify(body)
    response.setHeader('content-length', Buffer.byteLength(text))
    return end(text)
  }) as typeof response.end
}

function resign(
  token: string,
  tamper: IdTokenTamper,
  signing: { keys: SigningKey[]; retired: SigningKey | undefined },
): string {
  const [, payload = ''] = token.split('.')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  const changed = tamper(claims)
  const key =
    changed.signWith === 'retired'
      ? signing.retired
      : changed.signWith === 'unknown'
        ? newSigningKey()
        : signing.keys[0]
  if (!key) throw new Error('no retired key: rotate first')
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid })).toString('base64url')
  const body = Buffer.from(JSON.stringify(changed.claims)).toString('base64url')
  const signer = createSign('RSA-SHA256')
  signer.update(`${header}.${body}`)
  const signature = signer.sign(createPrivateKey({ key, format: 'jwk' })).toString('base64url')
  return `${header}.${body}.${signature}`
}
