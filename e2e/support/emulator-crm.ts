// A test server connected to the Salesforce emulator the way an admin would (Save Settings over the API, then
// the first sync it starts), with portal edits allowed, a member on four known deals, and a colleague who can
// change records in Salesforce through its REST API, as another Salesforce user would.
import { expect } from 'vitest'

import { passwordGrant } from '../../emulator/testing/access-token.js'
import { hashPassword } from '../../server/auth/password.js'
import { writeEditSettings } from '../../server/crm/edits/edits.repository.js'
import { assignManually, setCrmModuleEnabled } from '../../server/testing/crm-factories.js'
import { passwordSettings, type RunningEmulator } from '../../server/testing/emulator-fixture.js'
import type { TestServer } from '../../server/testing/start-test-server.js'
import { SYNC_RUNS_WAIT_MS, waitFor } from '../../server/testing/timing.js'

export interface EditJourneySeed {
  admin: { email: string; password: string }
  mia: { email: string; password: string }
  /** Opportunity ids by name. */
  deals: Record<(typeof dealNames)[number], string>
  /** Changes a record in Salesforce as Cara Colleague (REST API PATCH with her own token). */
  colleagueUpdates(id: string, values: Record<string, string | number | null>): Promise<void>
}

const password = 'a long enough e2e password'
const dealNames = ['Acme Rollout', 'Birch Renewal', 'Cedar Pilot', 'Dune Expansion'] as const
const stages = ['Prospecting', 'Qualification', 'Prospecting', 'Needs Analysis']
const API = '/services/data/v62.0'

export async function seedEditJourney(
  server: TestServer,
  emulator: RunningEmulator,
): Promise<EditJourneySeed> {
  const db = server.deps.db
  // Four known deals in the org (Dune's close date has passed: the board marks it overdue).
  const deals = {} as EditJourneySeed['deals']
  for (const [index, name] of dealNames.entries()) {
    const { id } = await emulator.control.insertRecord('Opportunity', {
      Name: name,
      StageName: stages[index] ?? 'Prospecting',
      CloseDate: index === 3 ? '2026-01-15' : '2027-06-01',
      Amount: 10_000 * (index + 1),
    })
    deals[name] = id
  }

  const users = []
  for (const [name, email, role] of [
    ['Ada Admin', 'ada@example.com', 'admin'],
    ['Mia Member', 'mia@example.com', 'member'],
  ] as const) {
    users.push(
      await db
        .insertInto('users')
        .values({ name, email, role, password_hash: await hashPassword(password) })
        .returning('id')
        .executeTakeFirstOrThrow(),
    )
  }
  const [admin, mia] = users
  await setCrmModuleEnabled(db, true)
  const session = await signInOverApi(server.url, 'ada@example.com')
  const saved = await fetch(`${server.url}/api/admin/crm/connection`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...session },
    body: JSON.stringify(passwordSettings(emulator)),
  })
  if (!saved.ok) throw new Error(`saving the connection failed: ${saved.status} ${await saved.text()}`)
  // Saving starts the first sync; the journey starts once it has brought the deals.
  await waitFor(async () => {
    const run = await db.selectFrom('crm_sync_runs').selectAll().executeTakeFirst()
    expect(run?.status, JSON.stringify(run)).toBe('succeeded')
  }, SYNC_RUNS_WAIT_MS)
  await assignManually(db, mia?.id ?? '', Object.values(deals))
  await writeEditSettings(
    db,
    {
      allowEdits: true,
      editableFields: ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep'],
      whoMayEdit: 'members',
    },
    admin?.id ?? '',
    new Date(),
  )
  return {
    admin: { email: 'ada@example.com', password },
    mia: { email: 'mia@example.com', password },
    deals,
    colleagueUpdates: await colleague(emulator),
  }
}

async function signInOverApi(baseUrl: string, email: string): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken }
}

/** Cara Colleague, a second Salesforce user, signed in with the OAuth username-password flow. */
async function colleague(emulator: RunningEmulator): Promise<EditJourneySeed['colleagueUpdates']> {
  await emulator.control.addUser({
    username: 'cara@org.test',
    firstName: 'Cara',
    lastName: 'Colleague',
    password: 'cara-pass',
    securityToken: 'tok',
    canReadOpportunities: true,
  })
  // The emulator's username-password grant (passwordGrant), with Cara's credentials instead of the integration user's.
  const credentials = {
    ...emulator.credentials,
    username: 'cara@org.test',
    password: 'cara-pass',
    securityToken: 'tok',
  }
  const { status, body } = await passwordGrant({ url: emulator.url, credentials })
  const accessToken = body['access_token']
  const instanceUrl = body['instance_url']
  if (status !== 200 || !accessToken || !instanceUrl)
    throw new Error(`the colleague could not sign in: ${JSON.stringify(body)}`)
  return async (id, values) => {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm
    const response = await fetch(`${instanceUrl}${API}/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(values),
    })
    if (response.status !== 204) throw new Error(`the colleague's change failed: ${await response.text()}`)
  }
}
