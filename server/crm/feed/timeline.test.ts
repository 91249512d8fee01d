// The change timeline against the emulator: a tracked field changed in Salesforce becomes a system entry in
// the deal's feed after a sync, once (a re-run or a replayed page adds nothing), readable by the deal's
// members and nobody else; won, deleted and restored get their own entries; the first full sync writes none;
// and the work per page is a fixed number of statements, however many records changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { accessToken } from '../../../emulator/testing/access-token.js'

import type { FeedPost } from '../../../contracts/api/feed.api.js'
import type { Notification } from '../../../contracts/api/notifications.api.js'
import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { orgOpportunities, startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'

describe('change timeline', () => {
  let setup: SyncSetup
  let member: Client
  let outsider: Client
  let dealId = ''
  /** The Name of the user the control API's changes are made as (the integration user). */
  let integrationUser = ''

  const systemEntries = async (opportunityId?: string) => {
    let query = setup.t.database.db
      .selectFrom('crm_feed_posts')
      .select(['opportunity_id', 'body', 'body_html', 'author_id'])
      .where('kind', '=', 'system')
      .orderBy('created_at')
      .orderBy('body')
    if (opportunityId) query = query.where('opportunity_id', '=', opportunityId)
    return query.execute()
  }
  const change = async (id: string, values: Record<string, unknown>) => {
    await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
    await setup.emulator.control('PATCH', `/records/Opportunity/${id}`, { values })
  }
  const sync = async () => expect(await syncNow(setup.t, setup.connectionId, 'manual')).toMatchObject({})

  beforeAll(async () => {
    setup = await startSyncSetup({ opportunities: 60, multiCurrency: true })
    await syncNow(setup.t, setup.connectionId, 'initial')
    const open = orgOpportunities(setup.emulator.org).filter(
      (o) => !o.is_deleted && !o.is_closed && o.stage_name !== 'Negotiation/Review',
    )
    dealId = open[0]?.id ?? ''
    const db = setup.t.database.db
    const a = await setup.t.createUser({ name: 'Member' })
    const b = await setup.t.createUser({ name: 'Outsider' })
    await assignManually(db, a.id, [dealId])
    await setCrmModuleEnabled(db, true)
    member = await setup.t.signIn(a.email)
    outsider = await setup.t.signIn(b.email)
    const org = setup.emulator.org
    integrationUser = String(org.records.findById('User', org.integrationUserId)?.['Name'])
  })
  afterAll(() => setup?.close())

  it('writes no history on the first full sync', async () => {
    expect(await systemEntries()).toEqual([])
  })

  it('adds an entry per tracked change, once, that members read and others cannot', async () => {
    const before = orgOpportunities(setup.emulator.org).find((o) => o.id === dealId)
    await change(dealId, { StageName: 'Negotiation/Review', Amount: 125000.5, NextStep: '<b>Call</b> legal' })
    await sync()
    const entries = await systemEntries(dealId)
    const bodies = entries.map((entry) => entry.body)
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^Stage: ${String(before?.stage_name).replace('/', '\\/')} → Negotiation\\/Review, changed in Salesforce by ${integrationUser} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`,
          ),
        ),
        // In the record's currency, with its decimals (JPY has none).
        expect.stringMatching(/^Amount: ([A-Z]{3}) [\d,.]+ → \1 125,00(0\.50|1), changed in Salesforce /),
        expect.stringMatching(/^Probability: \d+% → 90%, /),
        expect.stringMatching(/^Next step: .* → <b>Call<\/b> legal, /),
      ]),
    )
    expect(entries.every((entry) => entry.author_id === null)).toBe(true)
    const nextStep = entries.find((entry) => entry.body.startsWith('Next step'))
    expect(nextStep?.body_html).toContain('&lt;b&gt;Call&lt;/b&gt; legal')
    expect(nextStep?.body_html).not.toContain('<b>Call')

    // Once: a re-run (the overlap re-reads the same records) adds nothing.
    await sync()
    expect(await systemEntries(dealId)).toHaveLength(entries.length)

    const feed = await member.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })
    expect(feed.statusCode).toBe(200)
    const posts = feed.json<{ posts: FeedPost[] }>().posts
    expect(posts.filter((p) => p.kind === 'system')).toHaveLength(entries.length)
    expect(posts.find((p) => p.body.startsWith('Stage'))).toMatchObject({ author: null, canEdit: false })
    const denied = await outsider.request({ method: 'GET', url: `/api/crm/opportunities/${dealId}/feed` })
    expect(denied.statusCode).toBe(404)
    expect(await systemEntries()).toHaveLength(entries.length)

    // The member is told (once for the page, by the weightiest change); the outsider is not.
    const bell = await member.request({ method: 'GET', url: '/api/notifications' })
    const told = bell.json<{ notifications: Notification[] }>().notifications
    expect(told.filter((n) => n.kind === 'tracked_change')).toHaveLength(1)
    expect(told.find((n) => n.kind === 'tracked_change')?.post?.excerpt).toMatch(/^Stage: /)
    // The bell names the field (the weightiest change of the page) and its new value.
    expect(told.find((n) => n.kind === 'tracked_change')?.change).toEqual({
      field: 'StageName',
      label: 'Stage',
      to: 'Negotiation/Review',
    })
    expect(told.filter((n) => n.kind !== 'tracked_change').every((n) => n.change === null)).toBe(true)
    const outsiderBell = await outsider.request({ method: 'GET', url: '/api/notifications' })
    expect(outsiderBell.json<{ unreadCount: number }>().unreadCount).toBe(0)
  })

  it('gives won, deleted and restored their own entries', async () => {
    await change(dealId, { StageName: 'Closed Won' })
    await sync()
    await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
    await setup.emulator.control('POST', `/records/Opportunity/${dealId}/delete`)
    await sync()
    await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
    await setup.emulator.control('POST', `/records/Opportunity/${dealId}/undelete`)
    await sync()
    const bodies = (await systemEntries(dealId)).map((entry) => entry.body)
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Stage: Negotiation\/Review → Closed Won, /),
        expect.stringMatching(new RegExp(`^Won in Salesforce by ${integrationUser}, `)),
        expect.stringMatching(/^Deleted in Salesforce, /),
        expect.stringMatching(/^Restored from the recycle bin in Salesforce, /),
      ]),
    )
    // The bell says which: won, deleted, restored (each sync's weightiest change).
    const bell = await member.request({ method: 'GET', url: '/api/notifications' })
    const changes = bell.json<{ notifications: Notification[] }>().notifications.map((n) => n.change)
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'Outcome', label: 'Outcome', to: 'won' },
        { field: 'IsDeleted', label: 'IsDeleted', to: 'true' },
        { field: 'IsDeleted', label: 'IsDeleted', to: 'false' },
      ]),
    )
  })

  it('names the Salesforce user who made the change, and nobody for automation', async () => {
    const deal = orgOpportunities(setup.emulator.org).find(
      (o) => !o.is_deleted && !o.is_closed && o.id !== dealId,
    )
    const id = deal?.id ?? ''
    await assignManually(setup.t.database.db, (await setup.t.createUser({ name: 'Watcher' })).id, [id])
    // A named colleague changes the stage in Salesforce through the REST API with their own token; the
    // emulator records them as LastModifiedById, as Salesforce does for the user whose session made the change.
    const colleague = { username: 'priya.editor@org.test', password: 'priya-pass', securityToken: 'tok' }
    await setup.emulator.control.addUser({ ...colleague, firstName: 'Priya', lastName: 'Editor' })
    const token = await accessToken({
      url: setup.emulator.url,
      credentials: { ...setup.emulator.credentials, ...colleague },
    })
    await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
    const response = await fetch(`${setup.emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ StageName: 'Negotiation/Review' }),
    })
    expect(response.status).toBe(204)
    await sync()
    const stage = (await systemEntries(id)).find((entry) => entry.body.startsWith('Stage:'))
    expect(stage?.body).toMatch(
      /^Stage: .* → Negotiation\/Review, changed in Salesforce by Priya Editor \d{4}-/,
    )
    expect(stage?.body_html).toContain('changed in Salesforce by Priya Editor <time')
    const stored = await setup.t.database.db
      .selectFrom('crm_feed_posts')
      .select('system_change')
      .where('opportunity_id', '=', id)
      .where('system_key', 'like', 'StageName@%')
      .executeTakeFirstOrThrow()
    expect(stored.system_change).toMatchObject({ field: 'StageName', by: 'Priya Editor' })
    const cached = await setup.t.database.db
      .selectFrom('crm_opportunities')
      .select(['last_modified_by_id', 'last_modified_by_name'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(cached.last_modified_by_name).toBe('Priya Editor')

    // Automation (a workflow field update) moves SystemModstamp only: the entry names nobody.
    await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
    await setup.emulator.control('PATCH', `/records/Opportunity/${id}`, {
      values: { NextStep: 'Set by a flow' },
      automated: true,
    })
    await sync()
    const next = (await systemEntries(id)).find((entry) => entry.body.startsWith('Next step:'))
    expect(next?.body).toMatch(/^Next step: .* → Set by a flow, changed in Salesforce \d{4}-/)
  })

  it('costs the same statements per page whether 2 or 40 records changed', async () => {
    const ids = orgOpportunities(setup.emulator.org)
      .filter((o) => !o.is_deleted && o.id !== dealId)
      .map((o) => o.id)
    const statements = async (count: number, amount: number) => {
      await setup.emulator.control('POST', '/clock', { advanceMs: 2000 })
      for (const id of ids.slice(0, count))
        await setup.emulator.control('PATCH', `/records/Opportunity/${id}`, { values: { Amount: amount } })
      const before = (await systemEntries()).length
      const sent = await setup.t.queriesDuring(() => syncNow(setup.t, setup.connectionId, 'manual'))
      expect((await systemEntries()).length - before).toBe(count)
      return sent.length
    }
    const few = await statements(2, 111)
    const many = await statements(40, 222)
    expect(many).toBe(few)
  })
})
