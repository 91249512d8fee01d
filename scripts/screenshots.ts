// `npm run screenshots`: current pictures of the main pages for the README (issue 17 item 11). Starts the
// demo (scripts/demo.ts: the emulator with its opportunities, demo accounts, the real sync) on a free port with
// a fresh data folder, waits for the first sync, then drives Debian's Chromium (the journeys' launch flags,
// e2e/support/browser.ts) through the admin's and a member's pages in light and dark, and one phone page.
// Writes docs/screenshots/*.png. Playwright screenshots: https://playwright.dev/docs/screenshots
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { Browser, Page } from 'playwright-core'

import { launchBrowser } from '../e2e/support/browser.js'

const root = join(import.meta.dirname, '..')
const outDir = join(root, 'docs', 'screenshots')
const PASSWORD = 'demo-password-123'
const ADMIN = 'admin@crm-demo.example'
const MEMBER = 'ada.almeida@crm-demo.example'
const WAIT_MS = 180_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Polls `check` until it holds (the demo's server starting, the first sync arriving). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

async function shoot(page: Page, baseUrl: string, path: string, name: string, ready: string) {
  await page.goto(`${baseUrl}${path}`)
  await page.getByText(ready, { exact: false }).first().waitFor()
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true })
  console.log(`docs/screenshots/${name}.png`)
}

/** The member's first opportunity in their list, opened: the detail with its key details and feed. */
async function shootDetail(page: Page, baseUrl: string, name: string) {
  await page.goto(`${baseUrl}/portal/crm/opportunities`)
  await page.locator('table tbody th a').first().click()
  await page.getByRole('complementary', { name: 'Key details' }).waitFor()
  await page.getByRole('heading', { name: 'Feed' }).waitFor()
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true })
  console.log(`docs/screenshots/${name}.png`)
}

async function session(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: { dark?: boolean; phone?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    colorScheme: options.dark ? 'dark' : 'light',
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    locale: 'en-US',
  })
  const page = await context.newPage()
  await signIn(page, baseUrl, email)
  return page
}

async function main(): Promise<void> {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-screenshots-'))
  const baseUrl = `http://localhost:${port}`
  const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  })
  let browser: Browser | undefined
  try {
    await until('the demo server', async () => (await fetch(`${baseUrl}/readyz`)).ok)
    await mkdir(outDir, { recursive: true })
    browser = await launchBrowser()

    const admin = await session(browser, baseUrl, ADMIN)
    // The first sync starts by itself; the list shows its count once it has committed a page.
    await until('the first sync', async () => {
      await admin.goto(`${baseUrl}/admin/modules/crm/opportunities`)
      await admin
        .getByRole('status', { name: 'Totals' })
        .getByText(/\d opportunit/)
        .waitFor()
      return true
    })
    await shoot(admin, baseUrl, '/admin/modules/crm/opportunities', 'admin-all-opportunities', 'Owner')
    await shoot(admin, baseUrl, '/admin/modules/crm', 'admin-crm-setup', 'Test Connection')
    await shoot(admin, baseUrl, '/admin/modules/crm/sync-log', 'admin-sync-log', 'Synchronize')
    await shoot(admin, baseUrl, '/admin/modules/crm/members', 'admin-members', 'Automatic assignment')
    await shoot(admin, baseUrl, '/admin/users', 'admin-users', MEMBER)

    const member = await session(browser, baseUrl, MEMBER)
    await shoot(member, baseUrl, '/portal/crm/opportunities', 'member-opportunities', 'Pipeline by stage')
    await shoot(member, baseUrl, '/portal/crm/opportunities?view=board', 'member-board', 'Open pipeline')
    await shootDetail(member, baseUrl, 'member-opportunity-detail')

    const dark = await session(browser, baseUrl, MEMBER, { dark: true })
    await shoot(dark, baseUrl, '/portal/crm/opportunities', 'member-opportunities-dark', 'Pipeline by stage')
    const darkAdmin = await session(browser, baseUrl, ADMIN, { dark: true })
    await shoot(
      darkAdmin,
      baseUrl,
      '/admin/modules/crm/opportunities',
      'admin-all-opportunities-dark',
      'Owner',
    )

    const phone = await session(browser, baseUrl, MEMBER, { phone: true })
    await shoot(
      phone,
      baseUrl,
      '/portal/crm/opportunities',
      'member-opportunities-phone',
      'Pipeline by stage',
    )
    await shootDetail(phone, baseUrl, 'member-opportunity-detail-phone')
  } finally {
    await browser?.close()
    // The demo runs the emulator and the server as its children: end the whole group it leads.
    if (demo.pid) process.kill(-demo.pid, 'SIGTERM')
    await rm(dataDir, { recursive: true, force: true })
  }
}

await main()
