// Small page helpers shared by the journeys; they find elements the way a user would (labels, roles).
import type { Page } from 'playwright-core'

import { WAIT_FOR_MS } from '../../server/testing/timing.js'

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * Waits until the browser is on `path` (pathname only). Polls page.url(), which follows client-side
 * (history API) navigation; the app's CSP forbids the string evaluation waitForFunction would need.
 */
export async function waitForPath(page: Page, path: string, timeoutMs = WAIT_FOR_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (new URL(page.url()).pathname !== path) {
    if (Date.now() > deadline)
      throw new Error(`Expected to reach ${path}, but the page stayed at ${page.url()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
