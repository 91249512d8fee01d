// Browser journey through CRM Setup and the Sync Log against the Salesforce emulator: the admin connects
// with a username, password and security token, sees every check pass, saves, and runs a sync.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../server/testing/emulator-fixture.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, SLOW_TEST, WAIT_FOR_MS } from '../server/testing/timing.js'
import { auditAccessibility } from './support/axe.js'
import { launchBrowser, saveScreenshot } from './support/browser.js'
import { waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery staple' }

describe('CRM setup journey', () => {
  let server: TestServer
  let emulator: RunningEmulator
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    server = await startE2eServer()
    emulator = await startTestEmulator({ opportunities: 3000 })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    context.setDefaultTimeout(WAIT_FOR_MS)
    page = await context.newPage()
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    await emulator?.close()
  })

  test('the admin connects Salesforce: Test Connection, Save Settings, a wrong token', async () => {
    await page.goto(server.setupUrl)
    await page.getByLabel('Name').fill(admin.name)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByLabel('Confirm password').fill(admin.password)
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await waitForPath(page, '/admin/users')

    await page.getByRole('link', { name: 'Modules' }).click()
    await page.getByRole('switch', { name: 'Enable CRM' }).click()
    await page.getByText('Enabled', { exact: true }).waitFor()
    await page.getByRole('link', { name: 'Module Settings' }).click()
    await waitForPath(page, '/admin/modules/crm')
    await page.getByRole('heading', { name: 'Setup' }).waitFor()
    await page.getByText('Salesforce is not connected yet.').waitFor()

    // Both callback URLs the Connected App needs, the admin's and the members', each with its own copy button.
    const setupUrl = await page.getByLabel('Setup callback URL', { exact: true }).inputValue()
    const memberUrl = await page.getByLabel('Member callback URL', { exact: true }).inputValue()
    expect(setupUrl).toMatch(/^http:\/\/[^/]+\/api\/admin\/crm\/connection\/oauth\/callback$/)
    expect(memberUrl).toBe(setupUrl.replace(/\/api\/.*$/, '/api/crm/salesforce-account/oauth/callback'))
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.getByRole('button', { name: 'Copy link: Member callback URL' }).click()
    await page.getByText('Link copied to the clipboard.').waitFor()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(memberUrl)
    await auditAccessibility(page, 'crm-setup-callback-urls')
    await saveScreenshot(page, 'd0a-crm-setup-callback-urls')

    // Saving an empty form marks every required field at once and puts focus on the first.
    await page.getByRole('button', { name: 'Save Settings' }).click()
    const form = page.getByRole('form', { name: 'Salesforce connection' })
    await form.locator('[aria-invalid="true"]').nth(3).waitFor()
    await form.locator('[aria-invalid="true"]:focus').waitFor()
    expect(await page.getByLabel('Web Services URL', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    )
    await saveScreenshot(page, 'd0-crm-setup-required-fields')

    // The guide to the Salesforce side is a page of its own, one link away.
    await page.getByRole('link', { name: 'guide to the Salesforce side' }).click()
    await waitForPath(page, '/admin/crm/guide')
    await page.getByRole('heading', { name: 'Create the Connected App' }).waitFor()
    await auditAccessibility(page, 'crm-guide')
    await page.getByRole('link', { name: '← Back to Setup' }).click()
    await waitForPath(page, '/admin/modules/crm')

    const c = emulator.credentials
    expect(await page.getByLabel('Username, password and security token').isChecked()).toBe(true)
    await page.getByLabel('Web Services URL', { exact: true }).fill(emulator.url)
    await page.getByLabel('Username', { exact: true }).fill(c.username)
    await page.getByLabel('Password', { exact: true }).fill(c.password)
    await page.getByLabel('Security Token', { exact: true }).fill(c.securityToken)
    await page.getByLabel('Consumer Key', { exact: true }).fill(c.consumerKey)
    await page.getByLabel('Consumer Secret', { exact: true }).fill(c.consumerSecret)
    await saveScreenshot(page, 'd1-crm-setup-filled')

    await page.getByRole('button', { name: 'Test Connection' }).click()
    const checks = page.getByRole('list', { name: 'Connection checks' })
    await checks.waitFor()
    const rows = checks.getByRole('listitem')
    expect(await rows.count()).toBeGreaterThan(0)
    for (const row of await rows.all()) expect(await row.getAttribute('data-status')).toBe('passed')
    await page.getByText('Every check passed').waitFor()
    // The results take the focus, so they are in view and read first.
    await page.locator('[aria-label="Connection test results"]:focus').waitFor()
    await saveScreenshot(page, 'd2-crm-test-connection-passed')

    await page.getByRole('button', { name: 'Save Settings' }).click()
    await page.getByText('Settings saved. Status: healthy.').waitFor()
    // The first sync shows its progress right here, and ends with a last success.
    const sync = page.getByRole('region', { name: 'Synchronization' })
    await sync.getByRole('button', { name: 'Synchronize' }).waitFor()
    await sync
      .getByRole('progressbar', { name: 'Sync progress' })
      .or(sync.getByText('The first sync', { exact: false }))
      .first()
      .waitFor()
    await saveScreenshot(page, 'd3a-crm-first-sync-on-setup')
    await sync.getByText(/Last success: (?!Never)/).waitFor({ timeout: 60_000 })
    await auditAccessibility(page, 'crm-setup-after-save')
    await page.getByText('Healthy', { exact: true }).first().waitFor()
    // Secrets are write-only: the fields are empty and say a value is stored.
    expect(await page.getByLabel('Security Token', { exact: true }).getAttribute('placeholder')).toBe(
      'Saved — leave empty to keep',
    )
    await saveScreenshot(page, 'd3-crm-saved-healthy')

    // Turning the local copy off asks first; keeping it changes nothing.
    const cache = page.getByLabel('Cache data locally')
    await cache.click()
    const dialog = page.getByRole('dialog', { name: 'Turn off the local copy?' })
    await dialog.waitFor()
    await saveScreenshot(page, 'd3b-crm-cache-off-confirm')
    await dialog.getByRole('button', { name: 'Keep the copy' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await cache.isChecked()).toBe(true)

    await page.getByLabel('Security Token', { exact: true }).fill('wrong-token')
    await page.getByRole('button', { name: 'Test Connection' }).click()
    await page.getByText('username, password or security token').first().waitFor()
    await saveScreenshot(page, 'd4-crm-wrong-token')
  })

  test('the admin synchronizes from the Sync Log and sees the run succeed', SLOW_TEST, async () => {
    await page.getByRole('link', { name: 'Sync Log' }).click()
    await waitForPath(page, '/admin/modules/crm/sync-log')
    await page.getByRole('heading', { name: 'Sync Log' }).waitFor()
    await page.getByRole('button', { name: 'Synchronize' }).click()
    // Either this press started a run or the first sync after saving was still going: both show a run.
    await page
      .getByRole('progressbar', { name: 'Sync progress' })
      .or(page.getByRole('table', { name: 'Sync runs' }))
      .first()
      .waitFor()
    await saveScreenshot(page, 'e1-sync-running')

    const table = page.getByRole('table', { name: 'Sync runs' })
    // The manual run (not only the first sync after saving) ends up Succeeded; polls for up to 60 s.
    const manualRun = table.getByRole('row').filter({ hasText: 'manual' })
    await manualRun.filter({ hasText: 'Succeeded' }).first().waitFor({ timeout: 60_000 })
    await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 })
    await saveScreenshot(page, 'e2-sync-succeeded')

    await table
      .getByRole('button', { name: /^#\d+$/ })
      .first()
      .click()
    await page.getByRole('heading', { name: /Run #\d+ events/ }).waitFor()
    await saveScreenshot(page, 'e3-sync-run-events')
  })

  test('a broken connection shows the needs-attention banner on every admin page', SLOW_TEST, async () => {
    // Salesforce deactivates the integration user and ends its sessions: the next sync cannot sign in.
    await emulator.control('PATCH', '/settings', { userActive: false })
    await emulator.control('POST', '/tokens/expire')
    await page.getByRole('button', { name: 'Synchronize' }).click()
    const banner = page.getByText('The Salesforce connection needs attention.')
    await banner.waitFor({ timeout: 60_000 })
    await saveScreenshot(page, 'f1-sync-needs-attention')
    await page.getByRole('link', { name: 'Users' }).click()
    await waitForPath(page, '/admin/users')
    await banner.waitFor()
    await saveScreenshot(page, 'f2-users-needs-attention-banner')
    await page.getByRole('link', { name: 'Open CRM Setup' }).click()
    await waitForPath(page, '/admin/modules/crm')
    await page.getByText('Needs attention', { exact: true }).first().waitFor()
  })
})
