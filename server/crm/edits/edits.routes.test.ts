// Portal edits written back to Salesforce, through the API against the emulator: the conditional write and the
// cache refreshed from the read-back, the conflict with both values, Salesforce's refusals on their field, the
// double submit, access (404 unless assigned, 403 when edits are off or admins only) and Salesforce failures.
import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { CrmSession } from '../../providers/crm-provider.js'
import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'
import { listEditAudit, writeEditSettings, type EditSettings } from './edits.repository.js'

const DEFAULT_FIELDS = ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep']

interface Detail {
  id: string
  stageName: string | null
  amount: number | null
  nextStep: string | null
  lastModifiedDate: string
}

describe('editing an opportunity from the portal', () => {
  let s: SyncSetup
  let member: Client
  let otherMember: Client
  let memberId = ''
  let ids: string[] = []
  let other: CrmSession

  const settings = async (changes: Partial<EditSettings> = {}) => {
    const admin = s.admin.session?.user?.id ?? ''
    const next = { allowEdits: true, editableFields: DEFAULT_FIELDS, whoMayEdit: 'members' as const }
    await writeEditSettings(s.t.database.db, { ...next, ...changes }, admin, new Date())
  }
  const load = async (client: Client, id: string) => {
    const response = await client.request({ method: 'GET', url: `/api/crm/opportunities/${id}` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ opportunity: Detail }>().opportunity
  }
  const edit = (
    client: Client,
    id: string,
    seen: string,
    values: Record<string, unknown>,
    key = randomUUID(),
  ) =>
    client.request({
      method: 'PATCH',
      url: `/api/crm/opportunities/${id}`,
      payload: { idempotencyKey: key, lastModifiedDate: seen, values },
    })
  const cached = (id: string) =>
    s.t.database.db.selectFrom('crm_opportunities').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const patches = async (id: string) =>
    (await s.emulator.control.requests()).filter((r) => r.method === 'PATCH' && r.path.includes(id)).length

  beforeAll(async () => {
    s = await startSyncSetup({ opportunities: 12, seed: 16 })
    await setCrmModuleEnabled(s.t.database.db, true)
    expect(await syncNow(s.t, s.connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    ids = (await s.t.database.db.selectFrom('crm_opportunities').select('id').orderBy('id').execute()).map(
      (row) => row.id,
    )
    const a = await s.t.createUser({ name: 'Ada Member' })
    const b = await s.t.createUser({ name: 'Bo Member' })
    memberId = a.id
    member = await s.t.signIn(a.email)
    otherMember = await s.t.signIn(b.email)
    await assignManually(s.t.database.db, a.id, ids.slice(0, 8))
    await assignManually(s.t.database.db, b.id, ids.slice(0, 8))
    // Another Salesforce user, who changes records in Salesforce between a portal read and its write.
    const { emulator } = s
    await emulator.control.addUser({
      username: 'colleague@org.test',
      password: 'colleague-pass',
      securityToken: 'tok',
      canReadOpportunities: true,
    })
    const c = emulator.credentials
    const app = { loginUrl: emulator.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret }
    const grant = {
      type: 'password' as const,
      username: 'colleague@org.test',
      password: 'colleague-pass',
      securityToken: 'tok',
    }
    const provider = s.t.deps.crmProvider
    other = provider.openSession(await provider.signIn(app, grant), {
      reauthenticate: () => provider.signIn(app, grant),
    })
  })
  beforeEach(async () => {
    await settings()
    await s.emulator.control.clearFaults()
    await s.emulator.control.clearValidationRules()
    await s.emulator.control.clearRequests()
    // Salesforce's versions have whole seconds: each test starts in a new second.
    await s.emulator.control.advanceClock(2_000)
  })
  afterAll(() => s?.close())

  it('writes the change to Salesforce, refreshes the cache from the read-back and audits it', async () => {
    const id = ids[0] ?? ''
    const seen = await load(member, id)
    const response = await edit(member, id, seen.lastModifiedDate, { StageName: 'Negotiation/Review' })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<{ opportunity: Detail; changed: string[] }>()
    expect(body.changed).toEqual(['StageName'])
    expect(body.opportunity.stageName).toBe('Negotiation/Review')
    expect(body.opportunity.lastModifiedDate > seen.lastModifiedDate).toBe(true)
    expect((await s.emulator.control.getRecord('Opportunity', id))['StageName']).toBe('Negotiation/Review')
    // The cache has Salesforce's record now (no waiting for the sync), the derived probability included.
    const row = await cached(id)
    const org = await s.emulator.control.getRecord('Opportunity', id)
    expect(row.stage_name).toBe('Negotiation/Review')
    expect(row.probability).toBe(org['Probability'])
    expect((await load(member, id)).stageName).toBe('Negotiation/Review')
    const audit = await listEditAudit(s.t.database.db, id)
    expect(audit).toEqual([
      expect.objectContaining({
        user_id: memberId,
        field: 'StageName',
        before_value: seen.stageName,
        after_value: 'Negotiation/Review',
      }),
    ])
    // The feed says who changed what, once, through the feed's own API.
    const feed = await member.request({ method: 'GET', url: `/api/crm/opportunities/${id}/feed` })
    expect(feed.statusCode, feed.body).toBe(200)
    const posts = feed.json<{ posts: Array<{ kind: string; body: string; author: { name: string } }> }>()
      .posts
    expect(posts.filter((post) => post.kind === 'system')).toEqual([
      expect.objectContaining({
        body: `Ada Member changed Stage: ${seen.stageName} → Negotiation/Review from the portal`,
        author: expect.objectContaining({ name: 'Ada Member' }),
      }),
    ])
  })

  it('writes a double submit once and answers both with the first answer', async () => {
    const id = ids[1] ?? ''
    const seen = await load(member, id)
    const key = randomUUID()
    const first = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Send the quote' }, key)
    const second = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Send the quote' }, key)
    expect(first.statusCode, first.body).toBe(200)
    expect(second.statusCode).toBe(200)
    expect(second.json()).toEqual(first.json())
    expect(await patches(id)).toBe(1)
    expect(await listEditAudit(s.t.database.db, id)).toHaveLength(1)
  })

  it('answers 409 with both values when someone changed the record in Salesforce meanwhile; mine re-applies', async () => {
    const id = ids[2] ?? ''
    const seen = await load(member, id)
    await s.emulator.control.advanceClock(2_000)
    await other.updateOpportunity({ id, values: { Amount: 4_200 } })
    const response = await edit(member, id, seen.lastModifiedDate, { Amount: 5_000 })
    expect(response.statusCode, response.body).toBe(409)
    const error = response.json<{
      error: {
        code: string
        details: { fields: unknown[]; lastModifiedDate: string; lastModifiedByName: string }
      }
    }>().error
    expect(error.code).toBe('EDIT_CONFLICT')
    expect(error.details.fields).toEqual([{ field: 'Amount', ours: 5_000, theirs: 4_200 }])
    expect(error.details.lastModifiedByName).toBeTruthy()
    expect((await s.emulator.control.getRecord('Opportunity', id))['Amount']).toBe(4_200)
    // Nothing of ours was written; the cache shows theirs at once, for "take theirs".
    expect(await listEditAudit(s.t.database.db, id)).toEqual([])
    expect((await cached(id)).amount).toBe(4_200)
    // "Keep mine": the same change against Salesforce's version now.
    const again = await edit(member, id, error.details.lastModifiedDate, { Amount: 5_000 })
    expect(again.statusCode, again.body).toBe(200)
    expect((await s.emulator.control.getRecord('Opportunity', id))['Amount']).toBe(5_000)
  })

  it('gives the second of two members editing the same field the conflict, never a silent overwrite', async () => {
    const id = ids[3] ?? ''
    const seenByA = await load(member, id)
    const seenByB = await load(otherMember, id)
    await s.emulator.control.advanceClock(2_000)
    const a = await edit(member, id, seenByA.lastModifiedDate, { NextStep: 'From Ada' })
    await s.emulator.control.advanceClock(2_000)
    const b = await edit(otherMember, id, seenByB.lastModifiedDate, { NextStep: 'From Bo' })
    expect(a.statusCode, a.body).toBe(200)
    expect(b.statusCode, b.body).toBe(409)
    expect(b.json<{ error: { details: { fields: unknown[] } } }>().error.details.fields).toEqual([
      { field: 'NextStep', ours: 'From Bo', theirs: 'From Ada' },
    ])
    expect((await s.emulator.control.getRecord('Opportunity', id))['NextStep']).toBe('From Ada')
  })

  it('answers 422 with the validation rule message on its field, with nothing written', async () => {
    const id = ids[4] ?? ''
    await s.emulator.control.addValidationRule({
      object: 'Opportunity',
      field: 'Amount',
      operator: 'lessThan',
      value: 0,
      message: 'Amount cannot be negative',
    })
    const seen = await load(member, id)
    const before = await cached(id)
    const response = await edit(member, id, seen.lastModifiedDate, { Amount: -5 })
    expect(response.statusCode, response.body).toBe(422)
    expect(response.json()).toEqual({
      error: {
        code: 'CRM_REJECTED',
        message: 'Amount cannot be negative',
        fields: { 'values.Amount': 'Amount cannot be negative' },
      },
    })
    expect(await cached(id)).toEqual(before)
    expect(await listEditAudit(s.t.database.db, id)).toEqual([])
  })

  it('answers 422 for a value outside a restricted picklist, on that field', async () => {
    const id = ids[4] ?? ''
    await s.emulator.control.writeRules({ restrictPicklists: ['Opportunity.StageName'] })
    try {
      const seen = await load(member, id)
      const response = await edit(member, id, seen.lastModifiedDate, { StageName: 'Nope' })
      expect(response.statusCode, response.body).toBe(422)
      expect(Object.keys(response.json<{ error: { fields: object } }>().error.fields)).toEqual([
        'values.StageName',
      ])
    } finally {
      await s.emulator.control.writeRules({ unrestrictPicklists: ['Opportunity.StageName'] })
    }
  })

  it('keeps edits to what the user may do: 404 unless assigned, 403 when off or admins only, 400 other fields', async () => {
    const mine = ids[5] ?? ''
    const notMine = ids[10] ?? ''
    const seen = await load(member, mine)
    const notFound = await edit(member, notMine, seen.lastModifiedDate, { NextStep: 'x' })
    expect(notFound.statusCode).toBe(404)
    expect(
      (await edit(member, '006000000000000AAA', seen.lastModifiedDate, { NextStep: 'x' })).statusCode,
    ).toBe(404)
    const field = await edit(member, mine, seen.lastModifiedDate, { Name: 'Renamed' })
    expect(field.statusCode).toBe(400)
    expect(field.json<{ error: { fields: object } }>().error.fields).toEqual({
      'values.Name': 'This field is not editable here.',
    })
    await settings({ allowEdits: false })
    const off = await edit(member, mine, seen.lastModifiedDate, { NextStep: 'x' })
    expect(off.statusCode).toBe(403)
    expect(off.json<{ error: { code: string } }>().error.code).toBe('EDITS_DISABLED')
    await settings({ whoMayEdit: 'admins' })
    expect((await edit(member, mine, seen.lastModifiedDate, { NextStep: 'x' })).statusCode).toBe(403)
    const byAdmin = await edit(s.admin, notMine, (await load(s.admin, notMine)).lastModifiedDate, {
      NextStep: 'Admin step',
    })
    expect(byAdmin.statusCode, byAdmin.body).toBe(200)
    expect(await patches(mine)).toBe(0)
  })

  it('says clearly when Salesforce is down or out of API requests, writes nothing, and lets the same key retry', async () => {
    const id = ids[6] ?? ''
    const seen = await load(member, id)
    const before = await cached(id)
    const key = randomUUID()
    const match = `PATCH /services/data/v62.0/sobjects/Opportunity/${id}`
    await s.emulator.control.addFault({ match, kind: 'unavailable' })
    const down = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Later' }, key)
    expect(down.statusCode).toBe(503)
    expect(down.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'CRM_UNAVAILABLE',
      message: expect.stringMatching(/not saved.*Try again/),
    })
    await s.emulator.control.clearFaults()
    await s.emulator.control.addFault({ match, kind: 'request_limit' })
    const limit = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Later' }, key)
    expect(limit.statusCode).toBe(503)
    expect(limit.json<{ error: { message: string } }>().error.message).toMatch(/API request limit/)
    expect(await cached(id)).toEqual(before)
    expect(await listEditAudit(s.t.database.db, id)).toEqual([])
    await s.emulator.control.clearFaults()
    const retried = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Later' }, key)
    expect(retried.statusCode, retried.body).toBe(200)
  })

  it('signs in again once when the stored token expired', async () => {
    const id = ids[7] ?? ''
    const seen = await load(member, id)
    await s.emulator.control.expireTokens()
    const response = await edit(member, id, seen.lastModifiedDate, { NextStep: 'After re-auth' })
    expect(response.statusCode, response.body).toBe(200)
    expect((await s.emulator.control.getRecord('Opportunity', id))['NextStep']).toBe('After re-auth')
  })

  it('answers 410 when the record was deleted in Salesforce meanwhile', async () => {
    const id = ids[7] ?? ''
    const seen = await load(member, id)
    await s.emulator.control.recordAction('Opportunity', id, 'delete')
    const response = await edit(member, id, seen.lastModifiedDate, { NextStep: 'Too late' })
    expect(response.statusCode, response.body).toBe(410)
    expect(response.json<{ error: { code: string } }>().error.code).toBe('OPPORTUNITY_DELETED')
  })
})
