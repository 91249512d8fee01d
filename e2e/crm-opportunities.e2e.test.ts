// Browser journey through the opportunity pages on seeded data: the admin assigns a member (on the
// opportunity's page and in bulk), the member sees exactly their opportunities in the list and the board,
// the detail widget shows the right values and the Salesforce link, two people see each other's feed posts
// live (a reply with an image, an edit), someone else's opportunity is 404, and, once members may add people,
// a member adds a colleague who then sees the deal, a colleague turns one kind of notification off, and an
// admin makes one deal's feed admins-only, which its member is told in place of the composer.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import type { TestServer } from '../server/testing/start-test-server.js'
import { HOOK_TIMEOUT_MS } from '../server/testing/timing.js'
import { auditAccessibility } from './support/axe.js'
import { openPeopleBrowser, saveScreenshot } from './support/browser.js'
import { fillerCount, seedCrm, STAGE_ORDER, type CrmSeed } from './support/crm-seed.js'
import { signIn, waitForPath } from './support/ui.js'
import { startE2eServer } from './support/web-server.js'

const miasOpportunities = [
  'Globex Expansion',
  'Initech Renewal',
  'Stark Upgrade',
  'Umbrella Pilot',
  'Wonka Factory Deal',
]

// A 1x1 PNG: a real image by its bytes, so the feed gives it a preview.
const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

describe('CRM opportunities journey', () => {
  let server: TestServer
  let seed: CrmSeed
  let openPage: () => Promise<Page>
  let closeBrowser: (() => Promise<void>) | undefined

  /** Switches the system colour scheme; the UI follows it (Mantine's "auto"), and this waits until it has. */
  async function switchColorScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
    await page.emulateMedia({ colorScheme: scheme })
    await page.locator(`html[data-mantine-color-scheme="${scheme}"]`).waitFor({ state: 'attached' })
  }

  async function sortedTexts(page: Page, selector: string): Promise<string[]> {
    return (await page.locator(selector).allTextContents()).map((t) => t.trim()).sort()
  }

  beforeAll(async () => {
    server = await startE2eServer()
    seed = await seedCrm(server)
    ;({ newPage: openPage, close: closeBrowser } = await openPeopleBrowser())
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await closeBrowser?.()
    await server?.close()
  })

  test('the admin assigns Mia on an opportunity page and in bulk', async () => {
    const page = await openPage()
    await signIn(page, server.url, seed.admin.email, seed.admin.password)
    await waitForPath(page, '/admin/users')
    await page.goto(`${server.url}/admin/modules/crm/opportunities`)
    await page.getByRole('link', { name: 'Globex Expansion' }).waitFor()
    await page.getByText(`${7 + fillerCount} opportunities`).waitFor()
    expect(await page.getByRole('link', { name: 'Deleted Old Deal' }).count()).toBe(0)
    await saveScreenshot(page, 'o1-admin-all-opportunities')
    await switchColorScheme(page, 'dark')
    await saveScreenshot(page, 'o1b-admin-all-opportunities-dark')
    await switchColorScheme(page, 'light')

    await page.getByLabel('Search', { exact: true }).fill('glob')
    await page.getByRole('status', { name: 'Totals' }).getByText('1 opportunity').waitFor()
    await saveScreenshot(page, 'o2-admin-search')
    await page.getByRole('link', { name: 'Globex Expansion' }).click()
    await waitForPath(page, `/admin/crm/opportunities/${seed.opp.globex}`)
    await page.getByRole('heading', { name: 'Globex Expansion', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Members (0)' }).click()
    await page.getByLabel('Add a member').fill('Mia')
    await page.getByRole('button', { name: /Mia Member/ }).click()
    const members = page.getByRole('table', { name: 'Members' })
    await members.getByRole('cell', { name: 'mia@example.com' }).waitFor()
    await members.getByText('Manual').waitFor()
    await page.getByRole('link', { name: 'Members (1)' }).waitFor()
    await saveScreenshot(page, 'o3-admin-members-tab')

    await page.getByRole('link', { name: 'All Opportunities' }).click()
    await page.getByRole('checkbox', { name: 'Select Stark Upgrade' }).check()
    await page.getByLabel('User to add or remove').fill('mia')
    await page.getByRole('button', { name: /Mia Member/ }).click()
    await page.getByRole('button', { name: 'Add to selected' }).click()
    await page.getByText('Added Mia Member on 1 opportunity').waitFor()
    await saveScreenshot(page, 'o4-admin-bulk-add')

    // Filters and keyset pages: Olivia's rows span two pages; Previous comes back to the first.
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Olivia Owner' })
    await page.getByRole('status', { name: 'Totals' }).getByText(`${fillerCount} opportunities`).waitFor()
    await page.getByRole('link', { name: 'Filler Deal 01' }).waitFor()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Page 2').waitFor()
    expect(await page.locator('table tbody tr').count()).toBe(fillerCount - 50)
    await saveScreenshot(page, 'o4b-admin-owner-filter-page-2')
    await page.getByRole('button', { name: 'Previous' }).click()
    await page.getByText('Page 1').waitFor()
    expect(await page.locator('table tbody tr').count()).toBe(50)
    // Select all N matching (issue 17 item 7): the page's 50, then every one of Olivia's, confirmed with the
    // count. Ada adds and removes herself, so no one else's deals or bell change for the later steps.
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check()
    await page.getByRole('button', { name: `Select all ${fillerCount} matching this filter` }).click()
    const bar = page.getByRole('region', { name: 'Bulk membership' })
    await bar.getByText('matching this filter, all selected').waitFor()
    await bar.getByLabel('User to add or remove').fill('ada@')
    await bar.getByRole('button', { name: /Ada Admin/ }).click()
    await bar.getByRole('button', { name: `Add to all ${fillerCount}` }).click()
    const confirm = page.getByRole('dialog', { name: 'Add to every match' })
    await confirm
      .getByText(`Add Ada Admin to all ${fillerCount} opportunities matching this filter?`)
      .waitFor()
    await saveScreenshot(page, 'o4d-admin-confirm-all-matching')
    await confirm.getByRole('button', { name: `Add on ${fillerCount}` }).click()
    await page.getByText(`Added Ada Admin on ${fillerCount} opportunities.`).waitFor()
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check()
    await page.getByRole('button', { name: `Select all ${fillerCount} matching this filter` }).click()
    await bar.getByLabel('User to add or remove').fill('ada@')
    await bar.getByRole('button', { name: /Ada Admin/ }).click()
    await bar.getByRole('button', { name: `Remove from all ${fillerCount}` }).click()
    await page
      .getByRole('dialog', { name: 'Remove from every match' })
      .getByRole('button', { name: `Remove on ${fillerCount}` })
      .click()
    await page.getByText(`Removed Ada Admin on ${fillerCount} opportunities.`).waitFor()
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Sam Seller' })
    await page.getByLabel('Members', { exact: true }).selectOption('without')
    await page.getByRole('status', { name: 'Totals' }).getByText('1 opportunity').waitFor()
    await page.getByRole('link', { name: 'Spare Unassigned Deal' }).click()
    await page.getByRole('link', { name: 'Members (0)' }).click()
    const suggestion = page.getByRole('region', { name: 'Suggestions' }).getByRole('listitem')
    await suggestion.filter({ hasText: 'Bob Other' }).getByText('Owner').waitFor()
    await saveScreenshot(page, 'o4c-admin-suggestion')
    await page.getByRole('button', { name: 'Add Bob Other' }).click()
    await page
      .getByRole('table', { name: 'Members' })
      .getByRole('cell', { name: 'bob@example.com' })
      .waitFor()

    await page.goto(`${server.url}/admin/modules/crm/members`)
    await page.getByRole('switch', { name: 'Assign owners and team members automatically' }).waitFor()
    // The overview first: Mia's seeded deals (the deleted one left out), Globex and Stark; pipeline per currency.
    const mia = page
      .getByRole('table', { name: 'People and their opportunities' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Mia Member/ }) })
    await mia.getByRole('cell').first().waitFor()
    expect(await mia.getByRole('cell').allInnerTexts()).toEqual([
      '5',
      '5',
      '0',
      '4',
      '€8,000.00 · $132,000.00',
    ])
    const lookup = page.getByRole('region', { name: 'Why can this user see this opportunity?' })
    await lookup.getByLabel('User', { exact: true }).fill('Mia')
    await lookup.getByRole('button', { name: /Mia Member/ }).click()
    await lookup.getByLabel('Opportunity', { exact: true }).fill('Globex')
    await lookup.getByRole('button', { name: /Globex Expansion/ }).click()
    await page.getByRole('status').filter({ hasText: 'Added by an admin' }).waitFor()
    await saveScreenshot(page, 'o5-admin-access-explanation')
    await switchColorScheme(page, 'dark')
    await saveScreenshot(page, 'o5c-admin-members-tab-dark')
    await switchColorScheme(page, 'light')

    // Bob owns the Spare deal in Salesforce: turning the rule on adds him automatically, off takes it back.
    const autoAssign = page.getByRole('switch', { name: 'Assign owners and team members automatically' })
    await autoAssign.check()
    await page.getByText(/^Saved\. 1 assignment added, 0 removed\.$/).waitFor()
    expect(await autoAssign.isChecked()).toBe(true)
    await saveScreenshot(page, 'o5b-admin-auto-assign-on')
    await autoAssign.uncheck()
    await page.getByText(/^Saved\. 0 assignments added, 1 removed\.$/).waitFor()
    expect(await autoAssign.isChecked()).toBe(false)
  })

  test('Mia sees exactly her opportunities in the list and the board', async () => {
    const page = await openPage()
    await signIn(page, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(page, '/portal')
    await page.goto(`${server.url}/portal/crm/opportunities`)
    await page.getByRole('table', { name: 'My opportunities' }).waitFor()
    await page.getByText('Open pipeline').waitFor()
    // The list opens on her open deals (Wonka is Closed Won); "Open and closed" shows every one, and the
    // choice lives in the URL, so a reload keeps it.
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('open')
    const openOnes = miasOpportunities.filter((name) => name !== 'Wonka Factory Deal')
    expect(await sortedTexts(page, 'table tbody th a')).toEqual(openOnes)
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Open and closed' })
    await page.getByRole('link', { name: 'Wonka Factory Deal' }).waitFor()
    expect(new URL(page.url()).searchParams.get('status')).toBe('any')
    await page.reload()
    await page.getByRole('link', { name: 'Wonka Factory Deal' }).waitFor()
    expect(await sortedTexts(page, 'table tbody th a')).toEqual(miasOpportunities)
    await saveScreenshot(page, 'o6-member-list')

    await page.getByRole('button', { name: 'Board' }).click()
    const board = page.getByRole('group', { name: 'Opportunities by stage' })
    await board.waitFor()
    expect(
      (await board.getByRole('listitem').getByRole('link').allTextContents()).map((t) => t.trim()).sort(),
    ).toEqual(miasOpportunities)
    // Columns in the org's stage order (OpportunityStage.SortOrder), not alphabetical or by probability.
    const columns = (await board.getByRole('heading').allTextContents()).map((t) => t.trim())
    expect(columns).toEqual(STAGE_ORDER.filter((stage) => stage !== 'Closed Lost'))
    const prospecting = page.getByRole('region', { name: 'Prospecting' })
    expect(await prospecting.getByTestId('column-count').textContent()).toBe('1')
    await saveScreenshot(page, 'o7-member-board')
    // The system's dark setting: board and list pass axe too, secondary (dimmed) text included.
    await switchColorScheme(page, 'dark')
    await saveScreenshot(page, 'o7c-member-board-dark')
    await page.getByRole('button', { name: 'List' }).click()
    await saveScreenshot(page, 'o6b-member-list-dark')
    await switchColorScheme(page, 'light')
    await page.setViewportSize({ width: 390, height: 844 })
    await saveScreenshot(page, 'o7b-member-list-phone')
  })

  test('the detail widget shows the values and the Salesforce link', async () => {
    const page = await openPage()
    await signIn(page, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(page, '/portal')
    await page.goto(`${server.url}/portal/crm/opportunities`)
    await page.getByRole('link', { name: 'Globex Expansion' }).click()
    await waitForPath(page, `/portal/crm/opportunities/${seed.opp.globex}`)
    const widget = page.getByRole('complementary', { name: 'Key details' })
    await widget.waitFor()
    const value = (label: string) =>
      widget.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]')
    const expected: Record<string, string> = {
      Amount: '$50,000.00',
      Stage: 'Proposal/Price Quote',
      Probability: '75%',
      'Close Date': 'Jan 15, 2027',
      Account: 'Globex',
      Owner: 'Sam Seller',
      Type: 'New Business',
      'Next Step': 'Send the revised quote',
      'Forecast Category': 'Commit',
    }
    for (const [label, text] of Object.entries(expected)) expect(await value(label).textContent()).toBe(text)
    expect(await value('Last synced').textContent()).not.toBe('—')
    await page.getByText('Globex wants the platform in three more regions.').waitFor()
    // Members may not add people yet (the module default), and Mia is told it is the module's rule.
    await page.getByText('Only admins can add people to this opportunity — the module setting.').waitFor()
    expect(await page.getByRole('button', { name: 'Add people' }).count()).toBe(0)
    const link = widget.getByRole('link', { name: /See more details in CRM system/ })
    expect(await link.getAttribute('href')).toBe(
      `https://acme.lightning.force.com/lightning/r/Opportunity/${seed.opp.globex}/view`,
    )
    expect(await link.getAttribute('target')).toBe('_blank')
    expect(await link.getAttribute('rel')).toContain('noopener')
    await saveScreenshot(page, 'o8-member-detail-widget')
    await switchColorScheme(page, 'dark')
    await saveScreenshot(page, 'o8d-member-detail-dark')
    await switchColorScheme(page, 'light')
    await page.setViewportSize({ width: 390, height: 844 })
    await saveScreenshot(page, 'o8b-member-detail-phone')
  })

  test("Mia and Ada see each other's posts appear without a reload; Ada's bell counts the mention", async () => {
    const mia = await openPage()
    const ada = await openPage()
    await signIn(ada, server.url, seed.admin.email, seed.admin.password)
    await waitForPath(ada, '/admin')
    await ada.goto(`${server.url}/admin/crm/opportunities/${seed.opp.globex}`)
    await ada.getByRole('heading', { name: 'Feed' }).waitFor()
    await signIn(mia, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(mia, '/portal')
    await mia.goto(`${server.url}/portal/crm/opportunities/${seed.opp.globex}`)
    await mia.getByRole('heading', { name: 'Feed' }).waitFor()

    await mia.getByLabel('New post').fill('Quote is out, @Ad')
    await mia.getByRole('textbox', { name: 'Mention someone' }).fill('Ada')
    await mia.getByRole('option', { name: /Ada Admin/ }).click()
    // The pick replaces the typed "@Ad" and leaves the mention box empty for the next one.
    await expect.poll(() => mia.getByLabel('New post').inputValue()).toBe('Quote is out, @Ada Admin ')
    await expect.poll(() => mia.getByRole('textbox', { name: 'Mention someone' }).inputValue()).toBe('')
    await mia.getByRole('button', { name: 'Post', exact: true }).click()
    // Ada's page and bell update from the event stream; nothing reloads it.
    await ada.getByRole('article').getByText('Quote is out').waitFor()
    await ada.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor()
    await auditAccessibility(ada, 'admin opportunity feed')

    await ada.getByRole('article').getByRole('button', { name: 'Reply' }).click()
    await ada.getByLabel('Your reply').fill('Thanks, *great* work')
    // The reply carries an image: Mantine's FileButton is a button with a hidden file input beside it.
    await ada
      .getByRole('article')
      .locator('input[type="file"]')
      .setInputFiles({ name: 'signed-quote.png', mimeType: 'image/png', buffer: onePixelPng })
    await ada.getByText('Attached: signed-quote.png').waitFor()
    await ada.getByRole('button', { name: 'Reply', exact: true }).click()
    const miasReplies = mia.getByRole('list', { name: 'Replies' })
    await miasReplies.getByText('great').waitFor()
    const download = miasReplies.getByRole('link', { name: 'signed-quote.png' })
    expect(await download.getAttribute('href')).toMatch(/^\/api\/crm\/feed\/files\//)
    await miasReplies.getByRole('img', { name: 'signed-quote.png' }).waitFor()
    await saveScreenshot(mia, 'o8c-member-feed-live-reply')

    // Mia edits her post: the mention reads as the name, and is kept; Ada sees the change, marked edited.
    expect(await ada.getByRole('button', { name: 'Edit the post by Mia Member' }).count()).toBe(0)
    await mia.getByRole('button', { name: 'Edit the post by Mia Member' }).click()
    const editBox = mia.getByLabel('Edit your post')
    expect(await editBox.inputValue()).toBe('Quote is out, @Ada Admin ')
    await editBox.fill('Quote is out, @Ada Admin: signed today')
    await mia.getByRole('button', { name: 'Save', exact: true }).click()
    const adasView = ada.getByRole('article', { name: 'Post by Mia Member' })
    await adasView.getByText('signed today').waitFor()
    await adasView.getByText('· edited', { exact: false }).waitFor()
    await adasView.locator('.mention', { hasText: '@Ada Admin' }).waitFor()
    await saveScreenshot(ada, 'o8d-admin-sees-the-edited-post')
  })

  test("Mia cannot open Bob's opportunity; a deleted one says so; Nora is told to ask", async () => {
    const page = await openPage()
    await signIn(page, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(page, '/portal')
    await page.goto(`${server.url}/portal/crm/opportunities/${seed.opp.bobs}`)
    await page.getByText('not found or not shared with you').waitFor()
    expect(await page.getByText('Bobs Secret Deal').count()).toBe(0)
    await saveScreenshot(page, 'o9-member-not-shared')
    await page.goto(`${server.url}/portal/crm/opportunities/${seed.opp.deleted}`)
    await page.getByText('This opportunity was deleted in Salesforce').waitFor()
    await saveScreenshot(page, 'o10-member-deleted')

    const nora = await openPage()
    await signIn(nora, server.url, seed.nora.email, seed.nora.password)
    await waitForPath(nora, '/portal')
    await nora.goto(`${server.url}/portal/crm/opportunities`)
    await nora.getByText('No opportunities are assigned to you yet — ask your admin to add you.').waitFor()
    await saveScreenshot(nora, 'o11-member-no-assignments')
  })

  test('once members may add people, Mia adds Nora through the picker; Nora sees the deal and is told', async () => {
    const admin = await openPage()
    await signIn(admin, server.url, seed.admin.email, seed.admin.password)
    await waitForPath(admin, '/admin/users')
    await admin.goto(`${server.url}/admin/modules/crm/feed`)
    await admin
      .getByRole('radiogroup', { name: 'Who may add members to a deal' })
      .getByRole('radio', { name: 'Members of the opportunity (and admins)' })
      .check()
    await admin.getByRole('button', { name: 'Save feed settings' }).click()
    await admin.getByText('Feed settings saved.').waitFor()

    // Nora's empty list stays open: the deal arrives on it from her event stream, with no reload.
    const nora = await openPage()
    await signIn(nora, server.url, seed.nora.email, seed.nora.password)
    await waitForPath(nora, '/portal')
    await nora.goto(`${server.url}/portal/crm/opportunities`)
    await nora.getByText('No opportunities are assigned to you yet').waitFor()

    const mia = await openPage()
    await signIn(mia, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(mia, '/portal')
    await mia.goto(`${server.url}/portal/crm/opportunities/${seed.opp.globex}`)
    await mia.getByRole('button', { name: 'Add people' }).click()
    await mia.getByRole('textbox', { name: 'Add a colleague' }).fill('Nor')
    // The type-ahead offers colleagues by name only (no email), and nobody already on the deal.
    const option = mia.getByRole('option', { name: 'Nora Newcomer' })
    await option.waitFor()
    expect(await mia.getByRole('option', { name: /Mia Member/ }).count()).toBe(0)
    await auditAccessibility(mia, 'member add people picker open')
    await option.click()
    await mia.getByRole('status').getByText('Nora Newcomer was added to this opportunity.').waitFor()
    await saveScreenshot(mia, 'o12-member-added-a-colleague')

    await nora.getByRole('link', { name: 'Globex Expansion' }).waitFor()
    await nora.getByRole('button', { name: 'Notifications, 1 unread' }).click()
    await nora.getByRole('button', { name: 'Mia Member added you on Globex Expansion, unread' }).click()
    await waitForPath(nora, `/portal/crm/opportunities/${seed.opp.globex}`)
    await nora.getByRole('heading', { name: 'Globex Expansion', level: 1 }).waitFor()
    await nora.getByRole('heading', { name: 'Feed' }).waitFor()
    await nora.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
    await saveScreenshot(nora, 'o13-added-colleague-sees-the-deal')
  })

  test('Nora turns new-post notifications off in her settings; a new post on her deal then tells her nothing', async () => {
    const nora = await openPage()
    await signIn(nora, server.url, seed.nora.email, seed.nora.password)
    await waitForPath(nora, '/portal')
    await nora.getByRole('button', { name: /^Notifications/ }).click()
    await nora.getByRole('link', { name: 'Notification settings' }).click()
    await waitForPath(nora, '/portal/notifications')
    // The journeys' server has no SMTP_URL: the page says email is off and does not offer it.
    await nora.getByRole('note').getByText('Email is off').waitFor()
    const newPost = nora.getByRole('combobox', { name: 'Where: A new post on my opportunity' })
    expect(await newPost.locator('option[value="email"]').isDisabled()).toBe(true)
    await newPost.selectOption({ label: 'Off' })
    await nora.getByRole('button', { name: 'Save notification settings' }).click()
    await nora.getByRole('status').getByText('Notification settings saved.').waitFor()
    await saveScreenshot(nora, 'o14-member-notification-settings')
    await nora.reload()
    await nora.getByRole('heading', { name: 'Notification settings', level: 1 }).waitFor()
    expect(await newPost.inputValue()).toBe('off')

    await nora.goto(`${server.url}/portal/crm/opportunities/${seed.opp.globex}`)
    await nora.getByRole('heading', { name: 'Feed' }).waitFor()
    const mia = await openPage()
    await signIn(mia, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(mia, '/portal')
    await mia.goto(`${server.url}/portal/crm/opportunities/${seed.opp.globex}`)
    await mia.getByLabel('New post').fill('Kick-off with Globex on Monday')
    await mia.getByRole('button', { name: 'Post', exact: true }).click()
    await nora.getByRole('article').getByText('Kick-off with Globex on Monday').waitFor()
    // The notification would have been written with the post; a fresh load of the bell shows none.
    await nora.reload()
    await nora.getByRole('article').getByText('Kick-off with Globex on Monday').waitFor()
    await nora.getByRole('button', { name: 'Notifications', exact: true }).waitFor()
  })

  test("the admin makes Globex's feed admins-only for this deal; Mia is told why and has no composer", async () => {
    const admin = await openPage()
    await signIn(admin, server.url, seed.admin.email, seed.admin.password)
    await waitForPath(admin, '/admin/users')
    await admin.goto(`${server.url}/admin/crm/opportunities/${seed.opp.globex}?tab=members`)
    const rules = admin.getByRole('form', { name: 'Deal rules' })
    const whoMayPost = rules.getByRole('combobox', { name: 'Who may post in the feed' })
    // The deal follows the module default so far, and the choice names what that default is.
    await expect.poll(() => whoMayPost.inputValue()).toBe('default')
    await whoMayPost.locator('option[value="default"]', { hasText: 'currently: Members' }).waitFor({
      state: 'attached',
    })
    await whoMayPost.selectOption({ label: 'Admins only' })
    await rules.getByRole('button', { name: 'Save deal rules' }).click()
    await rules.getByRole('status').getByText('Deal rules saved.').waitFor()
    await expect.poll(() => whoMayPost.inputValue()).toBe('admins')
    // saveScreenshot also runs axe (no serious or critical findings) on each of these two pages.
    await saveScreenshot(admin, 'o15-admin-deal-rules')

    const mia = await openPage()
    await signIn(mia, server.url, seed.mia.email, seed.mia.password)
    await waitForPath(mia, '/portal')
    await mia.goto(`${server.url}/portal/crm/opportunities/${seed.opp.globex}`)
    await mia.getByText('Only admins can post on this opportunity — set for this deal.').waitFor()
    expect(await mia.getByLabel('New post').count()).toBe(0)
    expect(await mia.getByRole('button', { name: 'Reply', exact: true }).count()).toBe(0)
    await saveScreenshot(mia, 'o16-member-told-only-admins-post')
  })
})
