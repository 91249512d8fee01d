// Browser journey for real-time updates (issue 18): the admin turns on "Real-time updates (Change Data
// Capture)" in Setup, the Sync Log's Real-time panel shows the stream connected, and a change a colleague makes
// through Salesforce's REST API reaches Mia's open opportunity page without a reload, while the panel shows
// the last event's time. The server streams from the emulator's own Pub/Sub endpoint (pubSubSettings), never
// from api.pubsub.salesforce.com. Every step waits for what the user would see; none sleeps.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import {
  pubSubSettings,
  startTestEmulator,
  type RunningEmulator,
} from '../server/testing/emulator-fixture.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, SLOW_TEST, WAIT_FOR_MS, waitFor } from '../server/testing/timing.js'
import { openPeopleBrowser, saveScreenshot } from './support/browser.js'
import { seedEditJourney, type EditJourneySeed } from './support/emulator-crm.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

describe('real-time updates journey', () => {
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
    // Keepalives every half second, so the subscriber's position is stored soon after it subscribes.
    emulator = await startTestEmulator({ opportunities: 2, pubSubKeepaliveMs: 500 })
    server = await startE2eServer(pubSubSettings(emulator), { realtime: { tickMs: 200 } })
    seed = await seedEditJourney(server, emulator)
    ;({ newPage, close: closeBrowser } = await openPeopleBrowser())
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await closeBrowser?.()
    await server?.close()
    await emulator?.close()
  })

  test(
    'turned on in Setup, the stream connects and a Salesforce change appears on an open page',
    SLOW_TEST,
    async () => {
      const admin = await openAs(seed.admin, '/admin/users')
      await admin.goto(`${server.url}/admin/modules/crm`)
      const realtimeSwitch = admin.getByRole('switch', { name: 'Real-time updates (Change Data Capture)' })
      await realtimeSwitch.waitFor()
      expect(await realtimeSwitch.isChecked()).toBe(false)
      await realtimeSwitch.click()
      // The server asks Salesforce first (topic and permission); on its answer the switch stays on.
      await waitForChecked(realtimeSwitch)
      await saveScreenshot(admin, 'r1-realtime-switched-on')

      await admin.getByRole('link', { name: 'Sync Log' }).click()
      await waitForPath(admin, '/admin/modules/crm/sync-log')
      const panel = admin.getByRole('region', { name: 'Real-time updates' })
      await panel.getByRole('status').getByText('Connected', { exact: true }).waitFor()
      const lastEvent = panel.getByRole('definition').first()
      expect(await lastEvent.textContent()).toBe('None yet')
      // "Connected" is shown as the Subscribe call opens; a stored replay id (from the first keepalive) says
      // Salesforce has the subscription, so a change made from now on is sent on it.
      await waitFor(async () => {
        const stream = await server.deps.db
          .selectFrom('crm_cdc_streams')
          .select('replay_id')
          .executeTakeFirstOrThrow()
        expect(stream.replay_id).not.toBeNull()
      })

      // Mia has Acme Rollout open; it must change in front of her, with no reload.
      const mia = await openAs(seed.mia, '/portal')
      const id = seed.deals['Acme Rollout']
      await mia.goto(`${server.url}/portal/crm/opportunities/${id}`)
      await mia.getByRole('heading', { name: 'Acme Rollout', level: 1 }).waitFor()
      await mia.getByRole('button', { name: 'Edit Next Step' }).waitFor()
      let loads = 0
      mia.on('load', () => (loads += 1))

      await seed.colleagueUpdates(id, { NextStep: 'Seen in real time' })
      await mia.getByText('Seen in real time', { exact: true }).waitFor()
      expect(loads).toBe(0)
      expect(new URL(mia.url()).pathname).toBe(`/portal/crm/opportunities/${id}`)
      await saveScreenshot(mia, 'r2-realtime-change-on-open-page')

      // The panel (refreshed every few seconds while shown) names the event's time; still connected.
      await waitForText(lastEvent, (text) => text !== 'None yet')
      await panel.getByRole('status').getByText('Connected', { exact: true }).waitFor()
      await saveScreenshot(admin, 'r3-realtime-panel-last-event')
    },
  )
})

async function waitForChecked(target: { isChecked(): Promise<boolean> }): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_MS
  while (!(await target.isChecked())) {
    if (Date.now() > deadline) throw new Error('the switch did not stay on')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function waitForText(
  target: { textContent(): Promise<string | null> },
  holds: (text: string) => boolean,
): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_MS
  let text = ''
  while (!holds((text = (await target.textContent()) ?? ''))) {
    if (Date.now() > deadline) throw new Error(`the text stayed "${text}"`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
