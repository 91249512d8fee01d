// Browser journey: Salesforce stops answering in the middle of its responses (the emulator's stall_body fault:
// half a body, then nothing while the connection stays open). Each run the admin starts from the Sync Log ends
// "Failed: stalled" with its hint once CRM_SYNC_STALL_MS passes without progress (shortened here; the call's
// own deadline is far away, so only the stall watch can end it); after three in a row the "sync needs
// attention" banner says so on every admin page, with the hint; once Salesforce answers again a run succeeds
// and the banner goes.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, test } from 'vitest'

import { hashPassword } from '../server/auth/password.js'
import { saveConnectionSettings } from '../server/crm/connection/connection.service.js'
import { FAILING_RUNS_FOR_ATTENTION } from '../server/crm/sync/sync-log.js'
import { setCrmModuleEnabled } from '../server/testing/crm-factories.js'
import {
  passwordSettings,
  startTestEmulator,
  type RunningEmulator,
} from '../server/testing/emulator-fixture.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, SLOW_TEST, SYNC_RUNS_WAIT_MS } from '../server/testing/timing.js'
import { openDesktopPage, saveScreenshot } from './support/browser.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'a long enough e2e password' }

describe('a sync whose Salesforce stalls mid-response, seen in the browser', () => {
  let server: TestServer
  let emulator: RunningEmulator
  let page: Page
  let closeBrowser: (() => Promise<void>) | undefined

  beforeAll(async () => {
    server = await startE2eServer({ CRM_SYNC_STALL_MS: '3000', CRM_HTTP_TIMEOUT_MS: '120000' })
    emulator = await startTestEmulator({ opportunities: 600 })
    const db = server.deps.db
    const user = await db
      .insertInto('users')
      .values({
        name: admin.name,
        email: admin.email,
        role: 'admin',
        password_hash: await hashPassword(admin.password),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await setCrmModuleEnabled(db, true)
    // Saved through the Setup service (the Setup journey covers the form); no run starts until Synchronize.
    await saveConnectionSettings(server.deps, user.id, passwordSettings(emulator))
    ;({ page, close: closeBrowser } = await openDesktopPage())
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await closeBrowser?.()
    await emulator?.control.clearFaults()
    await server?.close()
    await emulator?.close()
  })

  test(
    'stalled runs read "Failed: stalled" with the hint, then the runs-failing banner',
    SLOW_TEST,
    async () => {
      await signIn(page, server.url, admin.email, admin.password)
      await waitForPath(page, '/admin/users')
      await page.goto(`${server.url}/admin/modules/crm/sync-log`)
      await page.getByRole('heading', { name: 'Sync Log' }).waitFor()
      // Every query (the COUNT() first, then the pages) sends half its body and then nothing.
      await emulator.control.addFault({ match: '/query', kind: 'stall_body' })

      const table = page.getByRole('table', { name: 'Sync runs' })
      const stalledRows = table.getByRole('row').filter({ hasText: 'Failed: stalled' })
      for (let n = 1; n <= FAILING_RUNS_FOR_ATTENTION; n += 1) {
        await page.getByRole('button', { name: 'Synchronize' }).click()
        await stalledRows.nth(n - 1).waitFor({ timeout: SYNC_RUNS_WAIT_MS })
        if (n === 1) {
          // The run says what happened and what happens next, not a progress bar.
          await stalledRows
            .first()
            .getByText(/resumes from the last saved page/)
            .waitFor()
          await saveScreenshot(page, 'g1-sync-stalled')
        }
      }

      const banner = page.getByRole('status').filter({ hasText: 'The Salesforce sync needs attention.' })
      await banner
        .getByText(`The last ${FAILING_RUNS_FOR_ATTENTION} sync runs stalled (no progress)`)
        .waitFor()
      await banner.getByText(/resumes from the last saved page/).waitFor()
      await saveScreenshot(page, 'g2-sync-runs-failing-banner')
      // On every admin page, with a way back to the Sync Log.
      await page.getByRole('link', { name: 'Users' }).click()
      await waitForPath(page, '/admin/users')
      await banner.waitFor()
      await banner.getByRole('link', { name: 'Open the Sync Log' }).click()
      await waitForPath(page, '/admin/modules/crm/sync-log')

      // Salesforce answers again: the next run resumes and succeeds, and the banner goes.
      await emulator.control.clearFaults()
      await page.getByRole('button', { name: 'Synchronize' }).click()
      await table
        .getByRole('row')
        .filter({ hasText: 'Succeeded' })
        .first()
        .waitFor({ timeout: SYNC_RUNS_WAIT_MS })
      await banner.waitFor({ state: 'detached', timeout: SYNC_RUNS_WAIT_MS })
      await saveScreenshot(page, 'g3-sync-recovered')
    },
  )
})
