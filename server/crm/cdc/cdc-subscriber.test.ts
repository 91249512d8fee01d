// Real-time updates end to end over real gRPC against the emulator: a change in the org reaches the cache and a
// member's view; the module's own write-backs are not applied again; a subscriber stopped mid-batch, and one
// restarted later, resume from the stored replay id without loss or double application; gap and overflow
// events and a replay id past retention recover; Change Data Capture switched off is a clear admin error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { accessToken } from '../../../emulator/testing/access-token.js'
import { pubSubSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator, noSyncDispatcher, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { inProcessLocks } from '../../storage/advisory-locks.js'
import { startCdcRuntime, type CdcRuntime } from './cdc-runtime.js'
import { findStream, setStreamEnabled } from './cdc-streams.repository.js'
import type { CdcHooks } from './cdc-subscriber.js'

describe('change data capture subscriber', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  let connectionId: string
  let token: string
  let runtime: CdcRuntime | undefined
  let ids: string[]
  const hooks: CdcHooks = {}

  const rest = (method: string, id: string, values?: object) =>
    fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(values ? { body: JSON.stringify(values) } : {}),
    })
  const cached = (id: string) =>
    t.database.db.selectFrom('crm_opportunities').selectAll().where('id', '=', id).executeTakeFirst()
  const stream = async () => (await findStream(t.deps.db, connectionId))!
  const start = async () => {
    runtime = startCdcRuntime(t.deps, inProcessLocks(), {
      requestSync: async (id) => void (await syncNow(t, id, 'scheduled')),
      hooks,
      backoff: { baseMs: 20, maxMs: 200 },
      tickMs: 100,
    })
    // Subscribed and positioned: the first keepalive stored a replay id.
    await waitFor(async () => {
      const s = await stream()
      expect(s.state).toBe('connected')
      expect(s.replay_id).not.toBeNull()
    })
  }
  const stop = async () => {
    await runtime?.stop()
    runtime = undefined
  }
  const cdcEntities = (entities: string[]) =>
    emulator.control('PATCH', '/pubsub/settings', { cdcEntities: entities })

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 12, pubSubKeepaliveMs: 150 })
    t = await buildTestApp({
      syncDispatcher: noSyncDispatcher,
      clock: { now: () => new Date(emulator.org.now()) },
      readCache: true,
      config: testConfig(pubSubSettings(emulator)),
    })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    connectionId = await connectToEmulator(admin, emulator)
    await syncNow(t, connectionId, 'initial')
    token = await accessToken(emulator)
    ids = [...emulator.org.records.allRecords('Opportunity')].map((r) => String(r['Id']))
    await setStreamEnabled(t.deps.db, connectionId, true)
  })
  beforeEach(async () => {
    await stop()
    delete hooks.beforeCommit
    await cdcEntities(['Opportunity'])
  })
  afterAll(async () => {
    await stop()
    await t.close()
    await emulator.close()
  })

  it('brings an update to the cache and to the member who sees the deal, and applies every change type', async () => {
    await admin.request({ method: 'PATCH', url: '/api/admin/modules/crm', payload: { enabled: true } })
    const member = await t.createUser()
    const memberClient = await t.signIn(member.email)
    const id = ids[0]!
    await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${id}/members`,
      payload: { userId: member.id },
    })
    const view = async () =>
      (await memberClient.request({ url: `/api/crm/opportunities/${id}` })).json<{
        opportunity: { stageName: string }
      }>()
    expect((await view()).opportunity.stageName).not.toBe('Negotiation/Review')
    await start()
    expect((await rest('PATCH', id, { StageName: 'Negotiation/Review' })).status).toBe(204)
    await waitFor(async () => expect((await view()).opportunity.stageName).toBe('Negotiation/Review'))
    // The change timeline too, in the batch's transaction, naming who changed it: the event carries only
    // LastModifiedById, the batched re-read by id brings LastModifiedBy.Name.
    const changer = String(emulator.org.records.findById('User', emulator.org.integrationUserId)?.['Name'])
    const entries = await t.database.db
      .selectFrom('crm_feed_posts')
      .select('body')
      .where('opportunity_id', '=', id)
      .where('kind', '=', 'system')
      .execute()
    expect(entries.map((entry) => entry.body)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Stage: .* → Negotiation/Review, changed in Salesforce by ${changer} `),
      ),
    )

    const created = (await emulator.control('POST', '/records/Opportunity', {
      Name: 'Real-time deal',
      StageName: 'Prospecting',
      CloseDate: '2027-03-01',
    })) as { id: string }
    await waitFor(async () => expect((await cached(created.id))?.name).toBe('Real-time deal'))
    expect((await rest('DELETE', created.id)).status).toBe(204)
    await waitFor(async () => expect((await cached(created.id))?.is_deleted).toBe(true))
    await emulator.control('POST', `/records/Opportunity/${created.id}/undelete`)
    await waitFor(async () => expect((await cached(created.id))?.is_deleted).toBe(false))
  })

  it('does not apply the module own write-backs again', async () => {
    await start()
    const before = await stream()
    const session = t.deps.crmProvider.openSession(
      { accessToken: token, instanceUrl: emulator.url },
      { reauthenticate: () => Promise.reject(new Error('unused')) },
    )
    await session.updateOpportunity({ id: ids[1]!, values: { NextStep: 'our own edit' } })
    await rest('PATCH', ids[2]!, { NextStep: 'someone else' })
    await waitFor(async () => expect((await cached(ids[2]!))?.next_step).toBe('someone else'))
    expect((await cached(ids[1]!))?.next_step).not.toBe('our own edit')
    expect((await stream()).events_applied).toBe(before.events_applied + 1)
  })

  it('resumes from the stored replay id after a stop mid-batch and after a restart: nothing lost, nothing twice', async () => {
    await start()
    const before = (await stream()).events_applied
    let failures = 1
    hooks.beforeCommit = async () => {
      if (failures-- > 0) throw new Error('killed mid-batch')
    }
    await rest('PATCH', ids[3]!, { Amount: 1001 })
    await waitFor(async () => expect((await cached(ids[3]!))?.amount).toBe(1001))
    await stop()
    // Changes while no subscriber runs arrive when one starts again, from the stored position.
    await rest('PATCH', ids[4]!, { Amount: 1002 })
    await rest('PATCH', ids[5]!, { Amount: 1003 })
    await start()
    await waitFor(async () => {
      expect((await cached(ids[4]!))?.amount).toBe(1002)
      expect((await cached(ids[5]!))?.amount).toBe(1003)
    })
    expect((await stream()).events_applied).toBe(before + 3)
  })

  it('re-reads the records of a gap event and runs a sync for an overflow', async () => {
    await start()
    // The cache drifted from the org without an event (as with changes Salesforce applies in the database).
    await t.database.db
      .updateTable('crm_opportunities')
      .set({ stage_name: 'Drifted', system_modstamp: new Date(0) })
      .where('id', '=', ids[6]!)
      .execute()
    await emulator.control('POST', '/pubsub/gap', { changeType: 'GAP_UPDATE', recordIds: [ids[6]] })
    await waitFor(async () => expect((await cached(ids[6]!))?.stage_name).not.toBe('Drifted'))

    // Changes Salesforce never sends one by one: only an overflow event says they happened.
    await cdcEntities([])
    await emulator.control('PATCH', `/records/Opportunity/${ids[7]}`, { values: { Amount: 777 } })
    await cdcEntities(['Opportunity'])
    await emulator.control('POST', '/pubsub/overflow', {})
    await waitFor(async () => expect((await cached(ids[7]!))?.amount).toBe(777))
    expect((await stream()).sync_requested_at).not.toBeNull()
  })

  it('runs a sync and starts from the newest event when the stored replay id is past retention', async () => {
    await start()
    await stop()
    // The change's event is dropped with everything retained: the stored position is older than retention.
    await rest('PATCH', ids[8]!, { Amount: 888 })
    await emulator.control('POST', '/pubsub/expire-events', {})
    await start()
    await waitFor(async () => expect((await cached(ids[8]!))?.amount).toBe(888))
    expect((await stream()).sync_requested_at).not.toBeNull()
    await rest('PATCH', ids[9]!, { Amount: 999 })
    await waitFor(async () => expect((await cached(ids[9]!))?.amount).toBe(999))
  })

  it('tells the admin how to turn Change Data Capture on when the org has it off', async () => {
    await start()
    await cdcEntities([])
    await emulator.control('POST', '/pubsub/reset-streams', { kind: 'unavailable' })
    await waitFor(async () => {
      const s = await stream()
      expect(s.state).toBe('error')
      expect(s.last_error_code).toBe('cdc_disabled')
      expect(s.last_error_hint).toMatch(/Setup > Integrations > Change Data Capture/)
    })
    await cdcEntities(['Opportunity'])
    await waitFor(async () => expect((await stream()).state).toBe('connected'))
  })
})
