// Browser journey through portal edits against the Salesforce emulator behind the server: Mia edits a deal
// and finds it saved after a reload; a colleague changes a deal in Salesforce after Mia's page loaded, so
// the conflict dialog shows both values and who changed it, and Keep mine re-applies; a validation rule's
// message shows on its field; on the board Mia drags a card to the next stage, and a move that conflicts
// goes back with a message. Every step waits for what the user would see; none sleeps.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { startTestEmulator, type RunningEmulator } from '../server/testing/emulator-fixture.js'
import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS, WAIT_FOR_MS, waitFor } from '../server/testing/timing.js'
import { launchBrowser, saveScreenshot } from './support/browser.js'
import { seedEditJourney, type EditJourneySeed } from './support/emulator-crm.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

describe('portal edits journey', () => {
  let server: TestServer
  let emulator: RunningEmulator
  let seed: EditJourneySeed
  let browser: Browser
  let context: BrowserContext
  let page: Page

  const inSalesforce = async (id: string, field: string) =>
    (await emulator.control.getRecord('Opportunity', id))[field]
  const openDeal = async (id: string, name: string) => {
    await page.goto(`${server.url}/portal/crm/opportunities/${id}`)
    await page.getByRole('heading', { name, level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Edit Next Step' }).waitFor()
  }
  /** Drags with the mouse as a person would: press on the handle, move in steps, release over the column. */
  const drag = async (handle: Locator, column: Locator) => {
    const from = await handle.boundingBox()
    const to = await column.boundingBox()
    if (!from || !to) throw new Error('the card or the column is not on screen')
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 10, { steps: 4 })
    await page.mouse.move(to.x + to.width / 2, to.y + Math.min(80, to.height / 2), { steps: 12 })
    await page.mouse.up()
  }

  beforeAll(async () => {
    server = await startE2eServer()
    emulator = await startTestEmulator({ opportunities: 2 })
    seed = await seedEditJourney(server, emulator)
    browser = await launchBrowser()
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
    })
    context.setDefaultTimeout(WAIT_FOR_MS)
    page = await context.newPage()
    await signIn(page, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(page, '/portal')
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    await emulator?.close()
  })

  test('an edit is written to Salesforce and still shown after a reload', async () => {
    const id = seed.deals['Acme Rollout']
    await openDeal(id, 'Acme Rollout')
    await page.getByRole('button', { name: 'Edit Next Step' }).click()
    await page.getByLabel('Next Step', { exact: true }).fill('Call the buyer on Monday')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Call the buyer on Monday', { exact: true }).waitFor()
    await waitFor(async () => expect(await inSalesforce(id, 'NextStep')).toBe('Call the buyer on Monday'))
    await page.reload()
    await page.getByText('Call the buyer on Monday', { exact: true }).waitFor()
    await saveScreenshot(page, 'x1-edit-saved-after-reload')
  })

  test('a change made in Salesforce meanwhile opens the conflict dialog; Keep mine re-applies', async () => {
    const id = seed.deals['Birch Renewal']
    await openDeal(id, 'Birch Renewal')
    // Salesforce keeps whole seconds: the colleague's change is a second later than what the page loaded.
    await emulator.control.advanceClock(2_000)
    await seed.colleagueUpdates(id, { Amount: 25_000 })
    await page.getByRole('button', { name: 'Edit Amount' }).click()
    await page.getByLabel('Amount', { exact: true }).fill('30000')
    await page.getByRole('button', { name: 'Save' }).click()

    const dialog = page.getByRole('dialog', { name: 'Changed in Salesforce meanwhile' })
    await dialog.getByText('Cara Colleague changed this opportunity in Salesforce').waitFor()
    const row = dialog.getByRole('row').filter({ hasText: 'Amount' })
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Amount', '30000', '25000'])
    await saveScreenshot(page, 'x2-edit-conflict-dialog')
    expect(await inSalesforce(id, 'Amount')).toBe(25_000)

    await dialog.getByRole('button', { name: 'Keep mine' }).click()
    await dialog.waitFor({ state: 'detached' })
    await waitFor(async () => expect(await inSalesforce(id, 'Amount')).toBe(30_000))
  })

  test("a validation rule's message shows on the field it names, and nothing is saved", async () => {
    const id = seed.deals['Cedar Pilot']
    const message = 'Say what happens next: "Skip" is not a next step.'
    await emulator.control.addValidationRule({
      object: 'Opportunity',
      field: 'NextStep',
      operator: 'equals',
      value: 'Skip',
      message,
    })
    try {
      await openDeal(id, 'Cedar Pilot')
      await page.getByRole('button', { name: 'Edit Next Step' }).click()
      await page.getByLabel('Next Step', { exact: true }).fill('Skip')
      await page.getByRole('button', { name: 'Save' }).click()
      const form = page.getByRole('form', { name: 'Edit Next Step' })
      await form.getByText(message).waitFor()
      await saveScreenshot(page, 'x3-edit-validation-rule')
      expect(await inSalesforce(id, 'NextStep')).toBeNull()
    } finally {
      await emulator.control.clearValidationRules()
    }
  })

  test('on the board a card dragged to the next stage is saved there; a conflicting move goes back', async () => {
    await page.goto(`${server.url}/portal/crm/opportunities`)
    await page.getByRole('button', { name: 'Board' }).click()
    const board = page.getByLabel('Opportunities by stage')
    const column = (stage: string) => board.getByRole('region', { name: stage, exact: true })
    await column('Prospecting').getByRole('link', { name: 'Acme Rollout' }).waitFor()
    // Issue 17: an open deal whose close date has passed is marked on its card.
    const dune = board.getByRole('listitem').filter({ hasText: 'Dune Expansion' })
    await dune.getByText('Overdue').waitFor()

    await drag(page.getByRole('button', { name: 'Move Acme Rollout' }), column('Qualification'))
    await page.getByRole('status').getByText('Acme Rollout moved to Qualification.').waitFor()
    await column('Qualification').getByRole('link', { name: 'Acme Rollout' }).waitFor()
    expect(await inSalesforce(seed.deals['Acme Rollout'], 'StageName')).toBe('Qualification')
    await saveScreenshot(page, 'x4-board-moved')

    // Cara moves Cedar in Salesforce while Mia's board still shows it in Prospecting.
    await emulator.control.advanceClock(2_000)
    await seed.colleagueUpdates(seed.deals['Cedar Pilot'], { StageName: 'Needs Analysis' })
    await drag(page.getByRole('button', { name: 'Move Cedar Pilot' }), column('Qualification'))
    await page
      .getByRole('alert')
      .getByText(
        'Cedar Pilot was not moved to Qualification. Cara Colleague changed it in Salesforce after this page loaded. Its stage there is now Needs Analysis.',
        { exact: false },
      )
      .waitFor()
    // The card shows Salesforce's version, and Salesforce kept Cara's stage.
    await column('Needs Analysis').getByRole('link', { name: 'Cedar Pilot' }).waitFor()
    expect(await inSalesforce(seed.deals['Cedar Pilot'], 'StageName')).toBe('Needs Analysis')
    await saveScreenshot(page, 'x5-board-move-conflict')
  })
  test('Mia connects her own Salesforce account; her next edit is saved in Salesforce under her name', async () => {
    const own = await emulator.control.addUser({
      username: 'mia.sales@org.test',
      password: 'mia-salesforce-pass',
      securityToken: 'token',
      firstName: 'Mia',
      lastName: 'Sales',
    })
    await page.goto(`${server.url}/portal`)
    const card = page.getByRole('listitem').filter({ hasText: 'Salesforce account' })
    await card.getByRole('button', { name: 'Connect my Salesforce account' }).click()
    // Salesforce's login page (the emulator's), then back to the portal.
    await page.getByLabel('Username').fill('mia.sales@org.test')
    await page.getByLabel('Password').fill('mia-salesforce-pass')
    await page.getByRole('button', { name: 'Allow' }).click()
    await waitForPath(page, '/portal')
    await card.getByText('Your Salesforce account is connected.').waitFor()
    await card.getByText('mia.sales@org.test').waitFor()
    await saveScreenshot(page, 'x6-salesforce-account-connected')

    const id = seed.deals['Acme Rollout']
    await emulator.control.advanceClock(2_000)
    await openDeal(id, 'Acme Rollout')
    await page.getByRole('button', { name: 'Edit Next Step' }).click()
    await page.getByLabel('Next Step', { exact: true }).fill('Mia confirmed the order')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Mia confirmed the order', { exact: true }).waitFor()
    await waitFor(async () => expect(await inSalesforce(id, 'NextStep')).toBe('Mia confirmed the order'))
    expect(await inSalesforce(id, 'LastModifiedById')).toBe(own.id)
  })
})
