// A deal's own rules (issue 15 item 3, "per opportunity or as a module default"): who may post and who may add
// members, each members / admins only / the module default (null). Through the routes: the deal's rule beats
// the default both ways, a deal following the default follows a later change of it, a refused member gets
// ADMINS_ONLY saying which rule decided, admins always may, bad input is 400 with nothing written, and every
// change is audited. The feed and "Add people" say for each rule the value in force and where it comes from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DealRules, RuleInForce } from '../../../contracts/api/feed.api.js'
import { assignManually, makeConnection, makeOpportunity } from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

type Rule = 'members' | 'admins'

describe("a deal's own feed rules", () => {
  let t: TestApp
  let mia: Client
  let admin: Client
  const users = { cara: '', dan: '', eve: '' }
  const deals = { own: '', follows: '', deleted: '' }

  const setDefault = async (payload: { whoMayPost?: Rule; whoMayAddMembers?: Rule }) => {
    const response = await admin.request({ method: 'PUT', url: '/api/admin/crm/feed-settings', payload })
    expect(response.statusCode, response.body).toBe(200)
  }
  const setDeal = (client: Client, deal: string, payload: Record<string, unknown>) =>
    client.request({ method: 'PUT', url: `/api/admin/crm/opportunities/${deal}/feed-settings`, payload })
  const setDealOk = async (deal: string, payload: Record<string, Rule | null>): Promise<DealRules> => {
    const response = await setDeal(admin, deal, payload)
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ rules: DealRules }>().rules
  }
  const feedOf = async (client: Client, deal: string) => {
    const response = await client.request({ method: 'GET', url: `/api/crm/opportunities/${deal}/feed` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ canPost: boolean; whoMayPost: Rule; rules: DealRules }>()
  }
  const addable = async (client: Client, deal: string) => {
    const response = await client.request({
      method: 'GET',
      url: `/api/crm/opportunities/${deal}/addable-people`,
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ canAdd: boolean; rule: RuleInForce; people: unknown[] }>()
  }
  const post = (client: Client, deal: string, body: string) =>
    client.request({ method: 'POST', url: `/api/crm/opportunities/${deal}/feed`, payload: { body } })
  const add = (client: Client, deal: string, userId: string) =>
    client.request({ method: 'POST', url: `/api/crm/opportunities/${deal}/members`, payload: { userId } })
  const refusal = (response: { statusCode: number; json: <T>() => T }) => [
    response.statusCode,
    response.json<{ error: { code: string; message: string } }>().error.code,
    response.json<{ error: { code: string; message: string } }>().error.message,
  ]
  const storedRow = (deal: string) =>
    t.database.db
      .selectFrom('crm_feed_opportunity_settings')
      .select(['who_may_post', 'who_may_add_members'])
      .where('opportunity_id', '=', deal)
      .executeTakeFirst()
  const auditOf = (deal: string) =>
    t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('target_type', '=', 'crm_opportunity')
      .where('target_id', '=', deal)
      .where('action', 'like', 'crm.feed.%')
      .orderBy('id')
      .execute()
  const rule = (value: Rule, source: 'deal' | 'module', moduleDefault: Rule) => ({
    value,
    source,
    moduleDefault,
  })

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    const db = t.database.db
    const miaRow = await t.signInNew({ role: 'member' })
    admin = (await t.signInNew({ role: 'admin' })).client
    mia = miaRow.client
    for (const name of ['cara', 'dan', 'eve'] as const)
      users[name] = (await t.createUser({ role: 'member' })).id
    const connection = await makeConnection(db)
    deals.own = (await makeOpportunity(db, connection.id)).id
    deals.follows = (await makeOpportunity(db, connection.id)).id
    deals.deleted = (await makeOpportunity(db, connection.id, { is_deleted: true })).id
    await assignManually(db, miaRow.id, [deals.own, deals.follows])
  })
  afterAll(() => t.close())

  it('follows the module defaults until the deal has rules of its own', async () => {
    expect((await feedOf(mia, deals.own)).rules).toEqual({
      whoMayPost: rule('members', 'module', 'members'),
      whoMayAddMembers: rule('admins', 'module', 'admins'),
    })
    expect((await addable(mia, deals.own)).rule).toEqual(rule('admins', 'module', 'admins'))
  })

  it("lets a deal's posting rule beat the default both ways; admins always may post", async () => {
    // Default members, this deal admins only.
    expect((await setDealOk(deals.own, { whoMayPost: 'admins' })).whoMayPost).toEqual(
      rule('admins', 'deal', 'members'),
    )
    const page = await feedOf(mia, deals.own)
    expect([page.canPost, page.whoMayPost, page.rules.whoMayPost]).toEqual([
      false,
      'admins',
      rule('admins', 'deal', 'members'),
    ])
    expect(refusal(await post(mia, deals.own, 'refused'))).toEqual([
      403,
      'ADMINS_ONLY',
      'Only admins may post on this opportunity: an admin set this for this opportunity.',
    ])
    expect((await post(admin, deals.own, 'admins may')).statusCode).toBe(201)
    expect((await feedOf(admin, deals.own)).canPost).toBe(true)
    expect((await post(mia, deals.follows, 'the other deal follows the default')).statusCode).toBe(201)

    // Default admins only, this deal members.
    await setDefault({ whoMayPost: 'admins' })
    await setDealOk(deals.own, { whoMayPost: 'members' })
    expect((await feedOf(mia, deals.own)).rules.whoMayPost).toEqual(rule('members', 'deal', 'admins'))
    expect((await post(mia, deals.own, 'this deal lets members post')).statusCode).toBe(201)
    expect(refusal(await post(mia, deals.follows, 'refused by the default'))).toEqual([
      403,
      'ADMINS_ONLY',
      'Only admins may post on this opportunity: this is the module setting for every opportunity.',
    ])
    const posts = await feedOf(admin, deals.own)
    expect(posts.canPost).toBe(true)
  })

  it("lets a deal's add-members rule beat the default both ways; admins always may add", async () => {
    // Default admins only (as shipped), this deal members.
    expect((await setDealOk(deals.own, { whoMayAddMembers: 'members' })).whoMayAddMembers).toEqual(
      rule('members', 'deal', 'admins'),
    )
    const offer = await addable(mia, deals.own)
    expect([offer.canAdd, offer.rule, offer.people.length > 0]).toEqual([
      true,
      rule('members', 'deal', 'admins'),
      true,
    ])
    expect((await add(mia, deals.own, users.cara)).statusCode).toBe(200)
    const followsOffer = await addable(mia, deals.follows)
    expect([followsOffer.canAdd, followsOffer.people]).toEqual([false, []])
    expect(refusal(await add(mia, deals.follows, users.cara))).toEqual([
      403,
      'ADMINS_ONLY',
      'Only admins may add people to this opportunity: this is the module setting for every opportunity.',
    ])

    // Default members, this deal admins only.
    await setDefault({ whoMayAddMembers: 'members' })
    await setDealOk(deals.own, { whoMayAddMembers: 'admins' })
    expect(await addable(mia, deals.own)).toEqual({
      canAdd: false,
      rule: rule('admins', 'deal', 'members'),
      people: [],
    })
    expect(refusal(await add(mia, deals.own, users.dan))).toEqual([
      403,
      'ADMINS_ONLY',
      'Only admins may add people to this opportunity: an admin set this for this opportunity.',
    ])
    expect((await add(mia, deals.follows, users.dan)).statusCode).toBe(200)
    expect((await addable(admin, deals.own)).canAdd).toBe(true)
    expect((await add(admin, deals.own, users.dan)).statusCode).toBe(200)
    // Setting one rule left the other as it was.
    expect(await storedRow(deals.own)).toEqual({ who_may_post: 'members', who_may_add_members: 'admins' })
  })

  it('hands a rule back to the default, which the deal then follows when it changes', async () => {
    expect(await setDealOk(deals.own, { whoMayPost: null, whoMayAddMembers: null })).toEqual({
      whoMayPost: rule('admins', 'module', 'admins'),
      whoMayAddMembers: rule('members', 'module', 'members'),
    })
    // No rule left: no row left.
    expect(await storedRow(deals.own)).toBeUndefined()
    expect((await post(mia, deals.own, 'the default says admins')).statusCode).toBe(403)
    await setDefault({ whoMayPost: 'members', whoMayAddMembers: 'admins' })
    expect((await feedOf(mia, deals.own)).rules).toEqual({
      whoMayPost: rule('members', 'module', 'members'),
      whoMayAddMembers: rule('admins', 'module', 'admins'),
    })
    expect((await post(mia, deals.own, 'the default changed')).statusCode).toBe(201)
    expect((await add(mia, deals.own, users.eve)).statusCode).toBe(403)
  })

  it('audits every change of a rule, with the value set', async () => {
    expect((await auditOf(deals.own)).map((event) => [event.action, event.details])).toEqual([
      ['crm.feed.who_may_post', { whoMayPost: 'admins' }],
      ['crm.feed.who_may_post', { whoMayPost: 'members' }],
      ['crm.feed.who_may_add_members', { whoMayAddMembers: 'members' }],
      ['crm.feed.who_may_add_members', { whoMayAddMembers: 'admins' }],
      ['crm.feed.who_may_post', { whoMayPost: null }],
      ['crm.feed.who_may_add_members', { whoMayAddMembers: null }],
    ])
  })

  it('refuses bad values, members, unknown and deleted deals, and writes nothing', async () => {
    await setDealOk(deals.follows, { whoMayPost: 'members' })
    const before = { row: await storedRow(deals.follows), audit: (await auditOf(deals.follows)).length }
    for (const payload of [
      { whoMayPost: 'everyone' },
      { whoMayAddMembers: 'owners' },
      { whoMayAddMembers: 'admins', whoMayPost: 'anyone' },
      { whoMayPost: 'admins', color: 'red' },
      {},
    ]) {
      const response = await setDeal(admin, deals.follows, payload)
      expect([response.statusCode, response.json<{ error: { code: string } }>().error.code]).toEqual([
        400,
        'VALIDATION_FAILED',
      ])
    }
    expect((await setDeal(mia, deals.follows, { whoMayPost: 'admins' })).statusCode).toBe(403)
    expect((await setDeal(admin, '006000000000000AAA', { whoMayPost: 'admins' })).statusCode).toBe(404)
    expect((await setDeal(admin, deals.deleted, { whoMayPost: 'admins' })).statusCode).toBe(410)
    expect({ row: await storedRow(deals.follows), audit: (await auditOf(deals.follows)).length }).toEqual(
      before,
    )
    expect(await storedRow(deals.deleted)).toBeUndefined()
  })
})
