// The admin's control of portal edits through the API, against the emulator's describe: off by default with
// the default fields, only updateable fields can be added (the others are listed with the reason), admins only,
// and what a member is then offered (GET /api/crm/edit-options, picklist values in the org's order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { startSyncSetup, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'

interface SettingsBody {
  settings: { allowEdits: boolean; editableFields: string[]; whoMayEdit: string }
  fields: Array<{ name: string; notOfferedBecause: string | null }>
  fieldsUnavailable: string | null
}
interface OptionsBody {
  canEdit: boolean
  reason: string | null
  fields: Array<{ name: string; type: string; picklistValues: Array<{ value: string }> }>
}

describe('portal edit settings', () => {
  let s: SyncSetup
  let member: Client
  const url = '/api/admin/crm/edit-settings'
  const put = (client: Client, payload: Record<string, unknown>) =>
    client.request({ method: 'PUT', url, payload })
  const options = async (client: Client) => {
    const response = await client.request({ method: 'GET', url: '/api/crm/edit-options' })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<OptionsBody>()
  }

  beforeAll(async () => {
    s = await startSyncSetup({ opportunities: 3, seed: 16 })
    await setCrmModuleEnabled(s.t.database.db, true)
    member = await s.t.signIn((await s.t.createUser()).email)
  })
  afterAll(() => s?.close())

  it('starts off with the default fields, and lists fields the integration user cannot update with why', async () => {
    const response = await s.admin.request({ method: 'GET', url })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<SettingsBody>()
    expect(body.settings).toEqual({
      allowEdits: false,
      editableFields: ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep'],
      whoMayEdit: 'members',
    })
    expect(body.fieldsUnavailable).toBeNull()
    const byName = new Map(body.fields.map((field) => [field.name, field]))
    expect(byName.get('StageName')?.notOfferedBecause).toBeNull()
    expect(byName.get('IsWon')?.notOfferedBecause).toMatch(/Read only for the integration user/)
    expect(await options(member)).toMatchObject({
      canEdit: false,
      reason: expect.stringMatching(/turned off/),
    })
    expect((await member.request({ method: 'GET', url })).statusCode).toBe(403)
  })

  it('turns edits on with an added updateable field, and refuses a read-only one', async () => {
    const fields = ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep', 'Description']
    const saved = await put(s.admin, { allowEdits: true, editableFields: fields, whoMayEdit: 'members' })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json<SettingsBody>().settings.editableFields).toEqual(fields)
    const refused = await put(s.admin, {
      allowEdits: true,
      editableFields: [...fields, 'IsWon'],
      whoMayEdit: 'members',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.json<{ error: { fields: object } }>().error.fields).toEqual({
      editableFields: 'Not updateable in Salesforce: IsWon.',
    })
    const offered = await options(member)
    expect(offered.canEdit).toBe(true)
    expect(offered.fields.map((field) => field.name)).toEqual(fields)
    const stage = offered.fields.find((field) => field.name === 'StageName')
    // The org's order, as describe lists the picklist (Prospecting first, the closed stages last).
    expect(stage?.type).toBe('picklist')
    expect(stage?.picklistValues[0]?.value).toBe('Prospecting')
    expect(stage?.picklistValues.map((value) => value.value)).toContain('Closed Won')
  })

  it('limits edits to admins when asked', async () => {
    const saved = await put(s.admin, {
      allowEdits: true,
      editableFields: ['StageName'],
      whoMayEdit: 'admins',
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(await options(member)).toMatchObject({
      canEdit: false,
      reason: expect.stringMatching(/Only admins/),
    })
    expect(await options(s.admin)).toMatchObject({ canEdit: true })
  })
})
