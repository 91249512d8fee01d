// The admin's filter menus list every stage and owner that live opportunities have, not only those on the
// page in view, and nothing that exists only on records deleted in Salesforce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeConnection, makeOpportunity, setStageOrder } from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

describe('All Opportunities filter options', () => {
  let t: TestApp
  let admin: Client
  let member: Client

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    admin = (await t.signInNew({ role: 'admin' })).client
    member = (await t.signInNew({ role: 'member' })).client
    const { id } = await makeConnection(t.database.db)
    const ada = { owner_id: '005TEST0000000000A', owner_name: 'Ada Owner', owner_email: 'ada@example.com' }
    const bo = { owner_id: '005TEST0000000000B', owner_name: 'Bo Owner', owner_email: 'bo@example.com' }
    for (let i = 0; i < 3; i += 1)
      await makeOpportunity(t.database.db, id, { stage_name: 'Qualification', ...bo })
    await makeOpportunity(t.database.db, id, { stage_name: 'Closed Won', ...ada })
    await makeOpportunity(t.database.db, id, { stage_name: 'Prospecting', ...bo })
    // A stage the org no longer lists (renamed in Setup since): after the listed ones.
    await makeOpportunity(t.database.db, id, { stage_name: 'Custom Stage', ...ada })
    await setStageOrder(t.database.db, id, ['Prospecting', 'Qualification', 'Closed Won'])
    await makeOpportunity(t.database.db, id, {
      stage_name: 'Gone Stage',
      owner_id: '005TEST0000000000C',
      owner_name: 'Cy Deleted',
      is_deleted: true,
    })
  })
  afterAll(() => t.close())

  it('counts every stage and owner of live opportunities, stages in the org’s order', async () => {
    const response = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/filter-options',
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      stages: [
        { name: 'Prospecting', count: 1, sortOrder: 1 },
        { name: 'Qualification', count: 3, sortOrder: 2 },
        { name: 'Closed Won', count: 1, sortOrder: 3 },
        { name: 'Custom Stage', count: 1, sortOrder: null },
      ],
      owners: [
        { id: '005TEST0000000000A', name: 'Ada Owner', email: 'ada@example.com', count: 2 },
        { id: '005TEST0000000000B', name: 'Bo Owner', email: 'bo@example.com', count: 4 },
      ],
    })
  })

  it('is refused to members', async () => {
    const response = await member.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/filter-options',
    })
    expect(response.statusCode).toBe(403)
  })
})
