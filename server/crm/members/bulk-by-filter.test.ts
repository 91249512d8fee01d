// "Select all N matching this filter": the change reaches every match, not only a page of the list; a count
// that no longer matches writes nothing and answers 409 SELECTION_CHANGED; removing leaves automatic ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { MAX_BULK_BY_FILTER } from '../../../contracts/api/bulk-by-filter.api.js'
import { makeConnection, makeOpportunity } from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

describe('bulk membership by filter', () => {
  let t: TestApp
  let admin: Client
  let ann: { id: string; email: string }
  const matching: string[] = []
  let other = ''

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    const db = t.database.db
    ;({ client: admin } = await t.signInNew({ role: 'admin', name: 'Root Admin' }))
    ann = await t.createUser({ name: 'Ann Owner', email: 'ann@example.com' })
    const connectionId = (await makeConnection(db)).id
    for (const n of [1, 2, 3, 4, 5]) {
      // Ann owns the first in Salesforce: automatic assignment gives it to her.
      const ownerEmail = n === 1 ? 'ann@example.com' : 'someone@example.com'
      matching.push(
        (
          await makeOpportunity(db, connectionId, {
            name: `Zeta ${n}`,
            stage_name: 'Proposal',
            owner_email: ownerEmail,
          })
        ).id,
      )
    }
    other = (await makeOpportunity(db, connectionId, { name: 'Zeta other', stage_name: 'Prospecting' })).id
    // A deleted match is not a match.
    await makeOpportunity(db, connectionId, { name: 'Zeta gone', stage_name: 'Proposal', is_deleted: true })
    const auto = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/assignment-settings',
      payload: { autoAssign: true },
    })
    expect(auto.json().applied.added).toBe(1)
  })
  afterAll(() => t.close())

  const filters = { search: 'zeta', stage: ['Proposal'] }
  const change = (action: 'add' | 'remove', expectedCount: number) =>
    admin.request({
      method: 'POST',
      url: '/api/admin/crm/opportunities/members/bulk-by-filter',
      payload: { filters, expectedCount, userId: ann.id, action },
    })
  const annsMemberships = () =>
    t.database.db
      .selectFrom('crm_opportunity_members')
      .select(['opportunity_id', 'is_manual', 'via_owner_rule'])
      .where('user_id', '=', ann.id)
      .orderBy('opportunity_id')
      .execute()
  const audits = () =>
    t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'like', 'crm.members.bulk%')
      .orderBy('id')
      .execute()

  it('writes nothing and answers 409 when the filters match another count', async () => {
    const before = await annsMemberships()
    for (const action of ['add', 'remove'] as const) {
      const response = await change(action, 4)
      expect(response.statusCode).toBe(409)
      expect(response.json().error).toMatchObject({
        code: 'SELECTION_CHANGED',
        details: { matched: 5, expectedCount: 4 },
      })
    }
    expect(await annsMemberships()).toEqual(before)
    expect(await audits()).toEqual([])
  })

  it('refuses a count above the cap with 400 SELECTION_TOO_LARGE and writes nothing', async () => {
    const before = await annsMemberships()
    const response = await change('add', MAX_BULK_BY_FILTER + 1)
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toMatchObject({
      code: 'SELECTION_TOO_LARGE',
      details: { limit: MAX_BULK_BY_FILTER, expectedCount: MAX_BULK_BY_FILTER + 1 },
    })
    expect(await annsMemberships()).toEqual(before)
    expect(await audits()).toEqual([])
  })

  it('adds to every match across pages when the count matches, and only to them', async () => {
    // The list pages two at a time; the change is not limited to a page.
    const page = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities?search=zeta&stage=Proposal&limit=2',
    })
    expect(page.json().items).toHaveLength(2)
    const response = await change('add', 5)
    expect(response.json()).toEqual({ matched: 5, changed: 5, unchanged: 0 })
    const rows = await annsMemberships()
    expect(rows.map((row) => row.opportunity_id).sort()).toEqual([...matching].sort())
    expect(rows.every((row) => row.is_manual)).toBe(true)
    expect(rows.some((row) => row.opportunity_id === other)).toBe(false)
    expect((await change('add', 5)).json()).toEqual({ matched: 5, changed: 0, unchanged: 5 })
    const notified = await t.database.db
      .selectFrom('crm_notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', ann.id)
      .executeTakeFirstOrThrow()
    expect(Number(notified.n)).toBeGreaterThan(0)
  })

  it('removes the manual assignments of every match and keeps the automatic one', async () => {
    expect((await change('remove', 5)).json()).toEqual({ matched: 5, changed: 5, unchanged: 0 })
    expect(await annsMemberships()).toEqual([
      { opportunity_id: matching[0], is_manual: false, via_owner_rule: true },
    ])
    const events = await audits()
    expect(events.map((row) => row.action)).toEqual(['crm.members.bulk_added', 'crm.members.bulk_removed'])
    // The event keeps the filters and the count; the id list is capped (5 here, under the cap of 100).
    expect(events[1]?.details).toMatchObject({ filters, changedCount: 5 })
    expect((events[1]?.details as { opportunityIds: string[] }).opportunityIds).toHaveLength(5)
  })

  it('refuses a user who is not active', async () => {
    const gone = await t.createUser({ isActive: false })
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/opportunities/members/bulk-by-filter',
      payload: { filters, expectedCount: 5, userId: gone.id, action: 'add' },
    })
    expect(response.statusCode).toBe(400)
  })
})
