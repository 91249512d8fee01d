// Browser journey with a real OpenID Provider (oidc-provider, started here): the admin sets up sign-in with
// the provider and a SCIM token in the Admin Portal; a new employee clicks "Sign in with Acme ID", signs in
// at the provider, gets an account just in time and lands in the User Portal; signing out also ends the
// provider's session (RP-initiated logout) and comes back to the login page.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { startTestIdentityProvider, type TestIdentityProvider } from '../server/testing/oidc-test-provider.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { launchBrowser, saveScreenshot } from './support/browser.js'
import { waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery staple' }

describe('signing in with the identity provider', () => {
  let server: TestServer
  let idp: TestIdentityProvider
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(10_000)
    contexts.push(context)
    return context.newPage()
  }

  beforeAll(async () => {
    server = await startE2eServer()
    idp = await startTestIdentityProvider({
      clients: [
        {
          clientId: 'crm',
          clientSecret: 'e2e-client-secret-0123456789',
          redirectUris: [`${server.url}/api/auth/oidc/callback`],
          postLogoutRedirectUris: [`${server.url}/login`],
        },
      ],
      accounts: {
        'sam-sub': { email: 'sam@example.com', email_verified: true, name: 'Sam Newhire', groups: ['staff'] },
      },
    })
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await idp?.close()
    await server?.close()
  })

  test('the admin sets up sign-in with the provider and a SCIM token', async () => {
    const page = await openPage()
    await page.goto(server.setupUrl)
    await page.getByLabel('Name').fill(admin.name)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByLabel('Confirm password').fill(admin.password)
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await waitForPath(page, '/admin/users')

    await page.getByRole('link', { name: 'Identity' }).click()
    await page.getByRole('heading', { name: 'Identity', level: 1 }).waitFor()
    await page.getByLabel('Button name').fill('Acme ID')
    await page.getByLabel('Issuer URL').fill(idp.issuer)
    await page.getByLabel('Client id').fill('crm')
    await page.getByLabel('Client secret').fill('e2e-client-secret-0123456789')
    await page.getByLabel('Scopes').fill('openid email profile groups')
    await page.getByLabel(/Create an account at first sign-in/).check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved. The login page shows the new settings.').waitFor()
    await expect(page.getByLabel('Client secret').inputValue()).resolves.toBe('')

    await page.getByLabel('Token name').fill('Acme ID provisioning')
    await page.getByRole('button', { name: 'New token' }).click()
    const token = await page.getByLabel('Bearer token').inputValue()
    expect(token).toMatch(/^crmscim_/)
    await page.getByRole('rowheader', { name: 'Acme ID provisioning', exact: true }).waitFor()
    await saveScreenshot(page, 'i1-identity-settings')
    const scim = await fetch(`${server.url}/scim/v2/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(scim.status).toBe(200)
  })

  test('a new employee signs in with the provider and lands in the User Portal', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/login`)
    await saveScreenshot(page, 'i2-login-with-provider')
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click()

    // The provider's own (development) login form.
    await page.locator('input[name="login"]').fill('sam-sub')
    await page.locator('input[name="password"]').fill('any password at the provider')
    await page.locator('button[type="submit"]').click()

    await waitForPath(page, '/portal')
    await page.getByRole('heading', { name: 'Welcome, Sam Newhire' }).waitFor()
    await saveScreenshot(page, 'i3-user-portal-after-sso')

    await page.getByRole('button', { name: 'Sign out' }).click()
    // RP-initiated logout: the provider asks, then sends the browser back to the login page.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await waitForPath(page, '/login')
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).waitFor()
    const session = await page.request.get(`${server.url}/api/auth/session`)
    expect((await session.json()).user).toBeNull()
  })
})
