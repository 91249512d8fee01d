// Browser journeys through the foundation: first-run setup, an admin adding a member, and a member who
// sees the User Portal but is refused the Admin Portal in the UI and by the API. The tests run in order
// and build on each other, as a real first day with the product would.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, WAIT_FOR_MS } from '../server/testing/timing.js'
import { launchBrowser, saveScreenshot } from './support/browser.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery staple' }
const member = { name: 'Max Member', email: 'max@example.com', password: 'member password that is long' }
const phone = { width: 390, height: 844 }

describe('portal journeys', () => {
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function openPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport })
    // Fail a missing element with Playwright's message, before the test's own timeout (server/testing/timing.ts).
    context.setDefaultTimeout(WAIT_FOR_MS)
    contexts.push(context)
    return context.newPage()
  }

  beforeAll(async () => {
    server = await startE2eServer()
    browser = await launchBrowser()
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  test('first-run setup creates the admin and lands in the Admin Portal', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/login`)
    await page.getByText('First-run setup is not finished').waitFor()
    await saveScreenshot(page, 'a1-login-setup-required')

    await page.goto(server.setupUrl)
    await page.getByLabel('Name').fill(admin.name)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password', { exact: true }).fill('too short')
    await page.getByLabel('Confirm password').fill('different')
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await page.getByText('Use at least 12 characters.').waitFor()
    await page.getByText('The passwords do not match.').waitFor()
    await saveScreenshot(page, 'a2-setup-field-errors')

    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByLabel('Confirm password').fill(admin.password)
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await waitForPath(page, '/admin/users')
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    await page.getByRole('cell', { name: admin.email }).waitFor()
    expect(await page.getByRole('banner').textContent()).toContain(admin.name)
    await saveScreenshot(page, 'a3-admin-portal-users')

    // The setup link dies once used.
    await page.goto(server.setupUrl)
    await page.getByRole('heading', { name: 'Setup is complete' }).waitFor()
  })

  test('the admin signs in, enables CRM and creates a member who sets a password from the link', async () => {
    const page = await openPage()
    await signIn(page, server.url, admin.email, 'wrong password!')
    await page.getByText('The email or password is not correct.').waitFor()
    await saveScreenshot(page, 'b1-login-wrong-password')
    await signIn(page, server.url, admin.email, admin.password)
    await waitForPath(page, '/admin/users')

    await page.getByRole('link', { name: 'Modules' }).click()
    const crmSwitch = page.getByRole('switch', { name: 'Enable CRM' })
    await crmSwitch.check()
    await page.getByText('Enabled', { exact: true }).waitFor()
    expect(await crmSwitch.isChecked()).toBe(true)
    await saveScreenshot(page, 'b2-modules-crm-enabled')
    await page.getByRole('link', { name: 'Module Settings' }).click()
    await waitForPath(page, '/admin/modules/crm')
    await page.getByRole('link', { name: 'Sync Log' }).click()
    await page.getByRole('heading', { name: 'Sync Log' }).waitFor()
    await saveScreenshot(page, 'b3-module-settings-sync-log')

    await page.getByRole('link', { name: 'Users' }).click()
    // Keyboard: Escape closes the dialog and focus goes back to the button that opened it.
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.getByRole('dialog', { name: 'Add user' }).waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    expect(await page.locator(':focus').textContent()).toBe('Add user')

    await page.getByRole('button', { name: 'Add user' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add user' })
    await dialog.getByLabel('Name').fill(member.name)
    await dialog.getByLabel('Email').fill(admin.email)
    await dialog.getByLabel('Role').selectOption('member')
    await dialog.getByRole('button', { name: 'Add user' }).click()
    await dialog.getByText('A user with this email already exists.').waitFor()
    await saveScreenshot(page, 'b4-create-user-duplicate-email')

    await dialog.getByLabel('Email').fill(member.email)
    await dialog.getByRole('button', { name: 'Add user' }).click()
    const linkDialog = page.getByRole('dialog', { name: 'Share this link' })
    const passwordLink = await linkDialog.getByLabel('Password link').inputValue()
    expect(passwordLink).toMatch(/\/reset-password\?token=/)
    await saveScreenshot(page, 'b5-one-time-link')
    await linkDialog.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('cell', { name: member.email }).waitFor()

    await page.getByRole('button', { name: `Deactivate ${member.name}` }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click()
    await page.getByText(`${member.name} was deactivated.`).waitFor()
    await page.getByRole('button', { name: `Reactivate ${member.name}` }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click()
    await page.getByText(`${member.name} was reactivated.`).waitFor()

    // A reset link replaces the first one; the member uses this newer link to choose a password.
    await page.getByRole('button', { name: `Reset password for ${member.name}` }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Create reset link' }).click()
    const resetDialog = page.getByRole('dialog', { name: 'Share this link' })
    const resetLink = await resetDialog.getByLabel('Password link').inputValue()
    expect(resetLink).not.toBe(passwordLink)
    await resetDialog.getByRole('button', { name: 'Done' }).click()
    await page.setViewportSize(phone)
    await saveScreenshot(page, 'b6-users-phone')

    const memberPage = await openPage()
    await memberPage.goto(passwordLink)
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password)
    await memberPage.getByLabel('Confirm password').fill(member.password)
    await memberPage.getByRole('button', { name: 'Set new password' }).click()
    await memberPage.getByText('This reset link has expired or was already used.').waitFor()
    await saveScreenshot(memberPage, 'b7-replaced-link-refused')
    await memberPage.goto(resetLink)
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password)
    await memberPage.getByLabel('Confirm password').fill(member.password)
    await memberPage.getByRole('button', { name: 'Set new password' }).click()
    await memberPage.getByRole('heading', { name: 'Password changed' }).waitFor()
  })

  test('the member sees the User Portal and is refused the Admin Portal in the UI and by the API', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/portal/crm/opportunities`)
    // Not signed in: sent to login, and back to the page they asked for afterwards.
    await waitForPath(page, '/login')
    await page.getByLabel('Email').fill(member.email)
    await page.getByLabel('Password').fill(member.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await waitForPath(page, '/portal/crm/opportunities')
    await page.getByText('Opportunities assigned to you will appear here').waitFor()
    const nav = page.getByRole('navigation', { name: 'User Portal' })
    expect(await nav.getByText('CRM').isVisible()).toBe(true)
    expect(await nav.getByRole('link', { name: 'Opportunities' }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'Admin Portal' }).count()).toBe(0)
    await saveScreenshot(page, 'c1-member-opportunities')

    await page.goto(`${server.url}/admin/users`)
    await page.getByRole('heading', { name: 'Admins only' }).waitFor()
    expect(await page.getByRole('cell', { name: admin.email }).count()).toBe(0)
    await saveScreenshot(page, 'c2-member-admins-only')

    const response = await page.evaluate(async () => {
      const reply = await fetch('/api/admin/users')
      return { status: reply.status, body: (await reply.json()) as { error: { code: string } } }
    })
    expect(response.status).toBe(403)
    expect(response.body.error.code).toBe('FORBIDDEN')

    await page.setViewportSize(phone)
    await page.getByRole('link', { name: 'Back to the User Portal' }).click()
    await waitForPath(page, '/portal')
    await saveScreenshot(page, 'c3-member-portal-phone')
  })
})
