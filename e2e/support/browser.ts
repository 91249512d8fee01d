// Headless Debian Chromium driven by playwright-core. We never download Playwright's own browsers:
// CI and developers install the distribution package (`apt-get install -y chromium`).
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

import { WAIT_FOR_MS } from '../../server/testing/timing.js'
import { auditAccessibility } from './axe.js'

export const chromiumPath = '/usr/bin/chromium'

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Each launch gets a fresh temporary profile (user-data dir) that Playwright deletes on close, and each
 * journey opens its own context, so no cookie leaks from one user to the next.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    // Fail loudly rather than skip: a silently skipped journey looks like a passing one.
    throw new Error(
      `Chromium was not found at ${chromiumPath}. Install it with \`sudo apt-get install -y chromium\` ` +
        '(Debian/Ubuntu), then run the e2e journeys again. Do not use `npx playwright install`.',
    )
  }
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs, headless: true })
}

const screenshotDir = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')

/**
 * Saves a full-page screenshot to test-results/e2e/<name>.png for a human to look at, then audits the
 * same page with axe (support/axe.ts): every page a journey shows is checked, and a serious or critical
 * accessibility violation fails the journey.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
  await auditAccessibility(page, name)
}

/** A browser with one desktop-sized context and page, as most journeys need; close() ends them all. */
export async function openDesktopPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(WAIT_FOR_MS)
  const page = await context.newPage()
  return {
    page,
    close: async () => {
      await context.close()
      await browser.close()
    },
  }
}

/**
 * A browser for journeys with several people: each newPage() opens in a context of its own (its own cookies),
 * desktop-sized, in en-US and UTC so dates read the same on every machine; close() ends them all.
 */
export async function openPeopleBrowser(): Promise<{
  newPage: () => Promise<Page>
  close: () => Promise<void>
}> {
  const browser = await launchBrowser()
  const contexts: BrowserContext[] = []
  return {
    newPage: async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-US',
        timezoneId: 'UTC',
      })
      context.setDefaultTimeout(WAIT_FOR_MS)
      contexts.push(context)
      return context.newPage()
    },
    close: async () => {
      for (const context of contexts) await context.close()
      await browser.close()
    },
  }
}
