// Admins assign members by hand, in bulk and from suggestions; the automatic rule follows Salesforce but
// never takes away a manual assignment; every change is audited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import {
  makeConnection,
  makeOpportunity,
  makeSalesforceUser,
  makeTeamMember,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { applyAutomaticAssignments } from './automatic-assignments.js'

describe('opportunity members', () => {
  let t: TestApp
  let admin: Client
  let adminId: string
  let connectionId: string
  let ann: { id: string; email: string }
  let ben: { id: string; email: string }
  let deal: string

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    ;({ id: adminId, client: admin } = await t.signInNew({ role: 'admin', name: 'Root Admin' }))
    ann = await t.createUser({ name: 'Ann Owner', email: 'ann@example.com' })
    ben = await t.createUser({ name: 'Ben Team', email: 'ben@example.com' })
    connectionId = (await makeConnection(t.database.db)).id
  })
  beforeEach(async () => {
    const db = t.database.db
    // Ann owns the deal in Salesforce (email in another case); Ben is on its team.
    deal = (await makeOpportunity(db, connectionId, { owner_email: 'ANN@Example.com' })).id
    const sfBen = await makeSalesforceUser(db, connectionId, { email: 'Ben@example.com' })
    await makeTeamMember(db, connectionId, {
      opportunity_id: deal,
      user_id: sfBen.id,
      team_member_role: 'Sales Engineer',
    })
  })
  afterAll(() => t.close())

  const members = async (id = deal) =>
    (await admin.request({ method: 'GET', url: `/api/admin/crm/opportunities/${id}/members` })).json()
      .members as Array<{ isManual: boolean; user: { id: string } }>
  const setAutoAssign = (autoAssign: boolean) =>
    admin.request({ method: 'PUT', url: '/api/admin/crm/assignment-settings', payload: { autoAssign } })
  const auditOf = (targetId: string) =>
    t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'details'])
      .where('target_id', '=', targetId)
      .orderBy('id')
      .execute()

  it('adds and removes a member by hand, idempotently, with audit events', async () => {
    const add = () =>
      admin.request({
        method: 'POST',
        url: `/api/admin/crm/opportunities/${deal}/members`,
        payload: { userId: ann.id },
      })
    const first = await add()
    expect(first.json()).toMatchObject({
      changed: true,
      member: { user: { id: ann.id }, isManual: true, manualAddedBy: { id: adminId, name: 'Root Admin' } },
    })
    expect((await add()).json().changed).toBe(false)
    const annClient = await t.signIn(ann.email)
    expect(
      (await annClient.request({ method: 'GET', url: `/api/crm/opportunities/${deal}` })).statusCode,
    ).toBe(200)

    const removed = await admin.request({
      method: 'DELETE',
      url: `/api/admin/crm/opportunities/${deal}/members/${ann.id}`,
    })
    expect(removed.json()).toEqual({ changed: true, remaining: null })
    expect(await members()).toEqual([])
    expect(
      (await annClient.request({ method: 'GET', url: `/api/crm/opportunities/${deal}` })).statusCode,
    ).toBe(404)
    expect(await auditOf(deal)).toEqual([
      { action: 'crm.member.added', actor_user_id: adminId, details: { userId: ann.id, email: ann.email } },
      { action: 'crm.member.removed', actor_user_id: adminId, details: { userId: ann.id } },
    ])
  })

  it('refuses unknown or deactivated users and deleted opportunities', async () => {
    const gone = await t.createUser({ isActive: false })
    const inactive = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: gone.id },
    })
    expect(inactive.json().error.fields).toEqual({ userId: 'This user is deactivated.' })
    await t.database.db
      .updateTable('crm_opportunities')
      .set({ is_deleted: true })
      .where('id', '=', deal)
      .execute()
    const deleted = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: ann.id },
    })
    expect(deleted.statusCode).toBe(410)
  })

  it('adds and removes one user on many opportunities at once', async () => {
    const others = [
      (await makeOpportunity(t.database.db, connectionId)).id,
      (await makeOpportunity(t.database.db, connectionId)).id,
    ]
    const bulk = (action: 'add' | 'remove', ids: string[]) =>
      admin.request({
        method: 'POST',
        url: '/api/admin/crm/opportunities/members/bulk',
        payload: { opportunityIds: ids, userId: ben.id, action },
      })
    await bulk('add', [others[0]!])
    const added = await bulk('add', [...others, deal, '006000000000000AAA'])
    expect(added.json()).toEqual({ changed: 2, unchanged: 1, notFound: ['006000000000000AAA'] })
    expect((await bulk('remove', [...others, deal])).json()).toEqual({
      changed: 3,
      unchanged: 0,
      notFound: [],
    })
    expect((await auditOf(ben.id)).map((event) => event.action)).toEqual([
      'crm.members.bulk_added',
      'crm.members.bulk_added',
      'crm.members.bulk_removed',
    ])
    const tooMany = await bulk(
      'add',
      Array.from({ length: 501 }, () => deal),
    )
    expect(tooMany.statusCode).toBe(400)
  })

  it('suggests the owner and team members by email and accepts them in one click', async () => {
    const suggestions = (
      await admin.request({ method: 'GET', url: `/api/admin/crm/opportunities/${deal}/member-suggestions` })
    ).json().suggestions
    expect(suggestions).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: ann.id }),
        reasons: ['owner'],
        teamRoles: [],
      }),
      expect.objectContaining({
        user: expect.objectContaining({ id: ben.id }),
        reasons: ['team'],
        teamRoles: ['Sales Engineer'],
      }),
    ])
    const accepted = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/member-suggestions/accept`,
      payload: { userIds: [ben.id] },
    })
    expect(accepted.json().added).toEqual([ben.id])
    const rest = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/member-suggestions/accept`,
      payload: {},
    })
    expect(rest.json().added).toEqual([ann.id])
    expect((await members()).map((m: { isManual: boolean }) => m.isManual)).toEqual([true, true])
  })

  it('assigns automatically when on, follows Salesforce, and never removes a manual assignment', async () => {
    const db = t.database.db
    await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: ben.id },
    })
    const on = await setAutoAssign(true)
    expect(on.json().settings.autoAssign).toBe(true)
    expect(on.json().applied.added).toBeGreaterThanOrEqual(2)
    expect(await members()).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: ann.id }),
        isManual: false,
        viaOwnerRule: true,
      }),
      expect.objectContaining({
        user: expect.objectContaining({ id: ben.id }),
        isManual: true,
        viaTeamRule: true,
      }),
    ])

    // Salesforce moves ownership away from Ann and drops Ben from the team; the sync applies the rule.
    await db
      .updateTable('crm_opportunities')
      .set({ owner_email: 'someone@else.com' })
      .where('id', '=', deal)
      .execute()
    await db
      .updateTable('crm_opportunity_team_members')
      .set({ is_deleted: true })
      .where('opportunity_id', '=', deal)
      .execute()
    expect(await applyAutomaticAssignments(db, connectionId, [deal])).toEqual({ added: 0, removed: 2 })
    expect(await members()).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: ben.id }),
        isManual: true,
        viaTeamRule: false,
      }),
    ])
    // Running it again changes nothing.
    expect(await applyAutomaticAssignments(db, connectionId, [deal])).toEqual({ added: 0, removed: 0 })

    await db
      .updateTable('crm_opportunities')
      .set({ owner_email: 'ben@example.com' })
      .where('id', '=', deal)
      .execute()
    expect(await applyAutomaticAssignments(db, connectionId)).toMatchObject({ removed: 0 })
    const off = await setAutoAssign(false)
    expect(off.json().applied.removed).toBeGreaterThan(0)
    expect(await members()).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: ben.id }),
        isManual: true,
        viaOwnerRule: false,
      }),
    ])
    const settingEvents = await db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'crm.auto_assign.%')
      .execute()
    expect(settingEvents.map((event) => event.action)).toEqual([
      'crm.auto_assign.enabled',
      'crm.auto_assign.disabled',
    ])
  })

  it('explains why a user can or cannot see an opportunity', async () => {
    const explain = async (userId: string): Promise<Record<string, unknown>> =>
      (
        await admin.request({
          method: 'GET',
          url: `/api/admin/crm/access-explanation?userId=${userId}&opportunityId=${deal}`,
        })
      ).json()
    expect(await explain(ann.id)).toMatchObject({ canSee: false, reasons: [], ruleWouldMatch: ['owner'] })
    expect((await explain(ann.id)).explanation).toMatch(/turning on automatic assignment would add them/)
    await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: ann.id },
    })
    expect(await explain(ann.id)).toMatchObject({ canSee: true, reasons: ['manual'], blockers: [] })
    expect((await explain(ann.id)).explanation).toMatch(/was added by Root Admin on \d{4}-\d{2}-\d{2}/)
    expect(await explain(adminId)).toMatchObject({ canSee: true, reasons: ['admin'] })
    await setCrmModuleEnabled(t.database.db, false)
    expect(await explain(ann.id)).toMatchObject({ canSee: false, blockers: ['module_disabled'] })
    await setCrmModuleEnabled(t.database.db, true)
  })

  it('offers active users in the type-ahead and marks current members', async () => {
    await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: ann.id },
    })
    const response = await admin.request({
      method: 'GET',
      url: `/api/admin/crm/assignable-users?search=EXAMPLE.COM&opportunityId=${deal}`,
    })
    const users = response.json().users as Array<{ email: string; isMember: boolean }>
    expect(users.find((u) => u.email === ann.email)?.isMember).toBe(true)
    expect(users.find((u) => u.email === ben.email)?.isMember).toBe(false)
    expect(users.every((u) => u.email.endsWith('example.com'))).toBe(true)
  })

  it('shows the admin the details with the members', async () => {
    await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal}/members`,
      payload: { userId: ben.id },
    })
    const response = await admin.request({ method: 'GET', url: `/api/admin/crm/opportunities/${deal}` })
    expect(response.json()).toMatchObject({
      opportunity: { id: deal, ownerEmail: 'ANN@Example.com' },
      members: [{ user: { id: ben.id }, isManual: true }],
    })
  })
})
