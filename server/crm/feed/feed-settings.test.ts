// The feed settings' tracked fields (issue 15 item 2, "the admin picks"): read and saved through the API,
// unknown fields refused, and the list the contract offers is the one the timeline knows how to label.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { trackableFields } from '../../../contracts/api/feed.api.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { TRACKABLE_FIELDS } from './timeline.js'

describe('tracked fields in the feed settings', () => {
  let t: TestApp
  let admin: Client
  let member: Client

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    admin = (await t.signInNew({ role: 'admin' })).client
    member = (await t.signInNew({ role: 'member' })).client
  })
  afterAll(() => t.close())

  const read = async () =>
    (await admin.request({ method: 'GET', url: '/api/admin/crm/feed-settings' })).json<{
      settings: { trackedFields: string[] }
    }>().settings.trackedFields

  it('offers exactly the fields the timeline labels', () => {
    expect([...trackableFields].sort()).toEqual([...TRACKABLE_FIELDS].sort())
  })

  it('starts with the issue defaults and saves the admin pick, which the timeline then reads', async () => {
    expect(await read()).toEqual([
      'StageName',
      'Amount',
      'CloseDate',
      'Probability',
      'NextStep',
      'ForecastCategoryName',
      'OwnerId',
    ])
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/feed-settings',
      payload: { trackedFields: ['Name', 'StageName'] },
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(await read()).toEqual(['StageName', 'Name'])
    const row = await t.database.db
      .selectFrom('crm_feed_settings')
      .select('tracked_fields')
      .executeTakeFirstOrThrow()
    expect([...row.tracked_fields].sort()).toEqual(['Name', 'StageName'])
  })

  it('refuses an unknown field and a member', async () => {
    const unknown = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/feed-settings',
      payload: { trackedFields: ['Description'] },
    })
    expect(unknown.statusCode).toBe(400)
    const byMember = await member.request({
      method: 'PUT',
      url: '/api/admin/crm/feed-settings',
      payload: { trackedFields: ['StageName'] },
    })
    expect(byMember.statusCode).toBe(403)
    expect(await read()).toEqual(['StageName', 'Name'])
  })
})
