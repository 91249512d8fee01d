// The app with a real OpenID Provider next to it: the provider knows the app as client "crm", the admin has
// saved the settings through the API (discovery included), and signInWithProvider walks the whole
// redirect dance: start, the provider's login form, the callback with the state cookie of the same browser.
import type { InjectOptions, LightMyRequestResponse } from 'fastify'

import type { OidcSettingsInput } from '../../contracts/api/identity.api.js'
import type { Config } from '../config.js'
import type { Clock } from '../deps.js'
import {
  startTestIdentityProvider,
  type TestAccount,
  type TestIdentityProvider,
} from './oidc-test-provider.js'
import { buildTestApp, testConfig, type Client, type TestApp } from './test-app.js'

export const PUBLIC_URL = 'http://127.0.0.1:3999'
export const CLIENT_ID = 'crm'
export const CLIENT_SECRET = 'client-secret-for-tests-0123456789'

export interface IdentityFixture {
  t: TestApp
  idp: TestIdentityProvider
  admin: Client
  settings: OidcSettingsInput
  saveSettings(changes: Partial<OidcSettingsInput>): Promise<LightMyRequestResponse>
  signInWithProvider(accountId: string, options?: { next?: string }): Promise<ProviderSignIn>
  /** A client holding a session cookie, sending the CSRF token like the web UI. */
  clientWith(sessionCookie: string): Promise<Client>
  close(): Promise<void>
}

export interface ProviderSignIn {
  /** Where the app sent the browser after the callback. */
  location: string
  sessionCookie: string | undefined
}

export async function startIdentityFixture(
  options: { accounts?: Record<string, TestAccount>; clock?: Clock; config?: Config } = {},
): Promise<IdentityFixture> {
  const t = await buildTestApp({
    config: options.config ?? testConfig({ PUBLIC_URL }),
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const idp = await startTestIdentityProvider({
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${PUBLIC_URL}/api/auth/oidc/callback`],
        postLogoutRedirectUris: [`${PUBLIC_URL}/login`],
      },
    ],
    accounts: options.accounts ?? {},
  })
  const adminUser = await t.createUser({ role: 'admin', email: 'root@example.com', name: 'Root Admin' })
  const admin = await t.signIn(adminUser.email)
  let settings: OidcSettingsInput = {
    enabled: true,
    displayName: 'Test IdP',
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: 'openid email profile groups',
    emailClaim: 'email',
    nameClaim: 'name',
    groupsClaim: 'groups',
    allowedDomains: [],
    jitEnabled: false,
    adminGroup: null,
    ssoOnly: false,
    breakGlassUserId: null,
  }
  const saveSettings = async (changes: Partial<OidcSettingsInput>) => {
    const payload = { ...settings, ...changes }
    const response = await admin.request({ method: 'PUT', url: '/api/admin/identity/oidc', payload })
    if (response.statusCode === 200) settings = payload
    return response
  }
  const saved = await saveSettings({})
  if (saved.statusCode !== 200) throw new Error(`saving the OIDC settings failed: ${saved.body}`)

  const inject = (request: InjectOptions) => t.app.inject(request)
  const clientWith = async (sessionCookie: string): Promise<Client> => {
    const cookie = `crm_session=${sessionCookie}`
    const session = (await inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).json<
      Client['session']
    >()
    return {
      session,
      request: (request) =>
        inject({
          ...request,
          headers: { cookie, 'x-csrf-token': session?.csrfToken ?? '', ...request.headers },
        }),
    }
  }

  return {
    t,
    idp,
    admin,
    get settings() {
      return settings
    },
    saveSettings,
    clientWith,
    signInWithProvider: async (accountId, signInOptions = {}) => {
      const query = signInOptions.next ? `?next=${encodeURIComponent(signInOptions.next)}` : ''
      const start = await inject({ method: 'GET', url: `/api/auth/oidc/start${query}` })
      const location = String(start.headers.location)
      if (start.statusCode !== 303 || location.startsWith('/login'))
        return { location, sessionCookie: undefined }
      const state = start.cookies.find((c) => c.name === 'crm_oidc_state')?.value ?? ''
      const back = await idp.signIn(location, accountId)
      const callback = await inject({
        method: 'GET',
        url: back.pathname + back.search,
        cookies: { crm_oidc_state: state },
      })
      return {
        location: String(callback.headers.location),
        sessionCookie: callback.cookies.find((c) => c.name === 'crm_session')?.value,
      }
    },
    close: async () => {
      await t.close()
      await idp.close()
    },
  }
}
