// Browser journey for the change timeline (issue 15 item 2 and its Tests: "a stage change in the emulator
// appears in the feed after Synchronize"). Cara Colleague moves a deal's stage in Salesforce through the REST
// API, the admin presses Synchronize on the Sync Log, and Mia, who has the deal open, sees the system entry
// "Stage: X → Y, changed in Salesforce by Cara Colleague <when>" arrive in its feed without a reload. Every step
// waits for what the user would see; none sleeps.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../server/testing/emulator-fixture.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, SLOW_TEST, SYNC_RUNS_WAIT_MS } from '../server/testing/timing.js'
import { openPeopleBrowser, saveScreenshot } from './support/browser.js'
import { seedEditJourney, type EditJourneySeed } from './support/emulator-crm.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

describe('change timeline journey', () => {
  let server: TestServer
  let emulator: RunningEmulator
  let seed: EditJourneySeed
  let newPage: () => Promise<Page>
  let closeBrowser: (() => Promise<void>) | undefined

  const openAs = async (user: { email: string; password: string }, landing: string): Promise<Page> => {
    const page = await newPage()
    await signIn(page, server.url, user.email, user.password)
    await waitForPath(page, landing)
    return page
  }

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 2 })
    server = await startE2eServer()
    seed = await seedEditJourney(server, emulator)
    ;({ newPage, close: closeBrowser } = await openPeopleBrowser())
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await closeBrowser?.()
    await server?.close()
    await emulator?.close()
  })

  test('a stage changed in Salesforce reaches the open feed after Synchronize', SLOW_TEST, async () => {
    const id = seed.deals['Birch Renewal']
    const mia = await openAs(seed.mia, '/portal')
    await mia.goto(`${server.url}/portal/crm/opportunities/${id}`)
    await mia.getByRole('heading', { name: 'Birch Renewal', level: 1 }).waitFor()
    await mia.getByRole('heading', { name: 'Feed' }).waitFor()
    // The first full sync brought the deal and wrote no history.
    const systemEntries = server.deps.db
      .selectFrom('crm_feed_posts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'system')
    expect(Number((await systemEntries.executeTakeFirstOrThrow()).n)).toBe(0)
    let loads = 0
    mia.on('load', () => (loads += 1))

    await seed.colleagueUpdates(id, { StageName: 'Proposal/Price Quote' })
    const admin = await openAs(seed.admin, '/admin/users')
    await admin.goto(`${server.url}/admin/modules/crm/sync-log`)
    await admin.getByRole('heading', { name: 'Sync Log' }).waitFor()
    const succeeded = admin.getByRole('table', { name: 'Sync runs' }).getByRole('row').filter({
      hasText: 'Succeeded',
    })
    const runsBefore = await succeeded.count()
    await admin.getByRole('button', { name: 'Synchronize', exact: true }).click()
    await succeeded.nth(runsBefore).waitFor({ timeout: SYNC_RUNS_WAIT_MS })
    await saveScreenshot(admin, 't1-admin-synchronized')

    // Birch Renewal was seeded in Qualification; the entry names who changed it in Salesforce.
    const entry = mia.getByRole('article').filter({
      hasText: /Stage: Qualification → Proposal\/Price Quote, changed in Salesforce by Cara Colleague/,
    })
    await entry.waitFor({ timeout: SYNC_RUNS_WAIT_MS })
    expect(await entry.locator('time').count()).toBeGreaterThan(0)
    expect(loads).toBe(0)
    // A stage move on her deal is a notification too; her bell counts it without a reload.
    await mia.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor()
    await saveScreenshot(mia, 't2-member-feed-stage-change')

    // A reload shows it too: it is stored, not only carried by the event stream.
    await mia.reload()
    await mia.getByRole('heading', { name: 'Feed' }).waitFor()
    await entry.waitFor()

    // The bell says which field moved, not only that something changed.
    await mia.getByRole('button', { name: 'Notifications, 1 unread' }).click()
    await mia
      .getByRole('button', { name: 'Salesforce changed Stage on Birch Renewal, unread', exact: true })
      .waitFor()
    await saveScreenshot(mia, 't3-member-bell-names-the-field')
  })
})
