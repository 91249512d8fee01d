// The admin's switch for real-time updates against the emulator over real gRPC: turning it on checks that
// Salesforce sends Opportunity change events and then a change in the org reaches the cache without a sync;
// with Change Data Capture off in the org it is refused with how to enable it; the Real-time panel's figures
// (lag, events per minute, delivery allocation); members may not touch it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { RealtimeStatus } from '../../../contracts/api/realtime.api.js'
import { accessToken } from '../../../emulator/testing/access-token.js'
import { pubSubSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator, noSyncDispatcher, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { HOLDER } from './cdc-runtime.js'
import { startRealtimeUpdates } from './realtime-updates.js'

describe('real-time updates switch', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  let runtime: ReturnType<typeof startRealtimeUpdates> | undefined

  const put = (client: Client, enabled: boolean) =>
    client.request({ method: 'PUT', url: '/api/admin/crm/realtime', payload: { enabled } })
  const status = async () => (await admin.request({ url: '/api/admin/crm/realtime' })).json<RealtimeStatus>()
  const cdcEntities = (entities: string[]) =>
    emulator.control('PATCH', '/pubsub/settings', { cdcEntities: entities })

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 4, pubSubKeepaliveMs: 150 })
    t = await buildTestApp({
      syncDispatcher: noSyncDispatcher,
      config: testConfig(pubSubSettings(emulator)),
    })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  })
  afterAll(async () => {
    await runtime?.stop()
    await t.close()
    await emulator.close()
  })

  it('is off and says so before any org is connected', async () => {
    expect(await status()).toMatchObject({ configured: false, enabled: false, state: 'off' })
    expect((await put(admin, true)).json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  it('refuses with the Salesforce Setup hint while Change Data Capture is off for Opportunity', async () => {
    const connectionId = await connectToEmulator(admin, emulator)
    await syncNow(t, connectionId, 'initial')
    await cdcEntities([])
    const refused = await put(admin, true)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({
      error: {
        code: 'REALTIME_UNAVAILABLE',
        message: expect.stringMatching(/Change Data Capture is not available for Opportunity/),
        details: {
          reason: 'cdc_disabled',
          hint: expect.stringMatching(/Setup > Integrations > Change Data Capture.*Opportunity/),
        },
      },
    })
    expect(await status()).toMatchObject({ configured: true, enabled: false, state: 'off' })
  })

  it('turned on, brings a change in the org to the cache without a sync; turned off, stops the stream', async () => {
    await cdcEntities(['Opportunity'])
    const on = await put(admin, true)
    expect(on.statusCode).toBe(200)
    expect(on.json()).toMatchObject({ enabled: true })
    runtime = startRealtimeUpdates(t.deps, noSyncDispatcher, { tickMs: 100 })
    await waitFor(async () => expect(await status()).toMatchObject({ state: 'connected', holder: HOLDER }))

    const id = String([...emulator.org.records.allRecords('Opportunity')][0]?.['Id'])
    const token = await accessToken(emulator)
    const patched = await fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ NextStep: 'seen in real time' }),
    })
    expect(patched.status).toBe(204)
    await waitFor(async () => {
      const row = await t.database.db
        .selectFrom('crm_opportunities')
        .select('next_step')
        .where('id', '=', id)
        .executeTakeFirst()
      expect(row?.next_step).toBe('seen in real time')
    })
    expect(await t.database.db.selectFrom('crm_sync_runs').select('id').execute()).toHaveLength(1)
    // The panel's figures: the change counted in its minute and toward the allocation read from the org.
    const shown = await status()
    expect(shown.lastEventAt).not.toBeNull()
    expect(shown.lastLagMs).toBeGreaterThanOrEqual(0)
    expect(shown.minutes).toHaveLength(30)
    expect(shown.minutes.reduce((sum, m) => sum + m.applied, 0)).toBe(1)
    expect(shown.minutes.find((m) => m.applied > 0)?.lagMsAvg).toBeGreaterThanOrEqual(0)
    expect(shown.delivery).toEqual({ last24h: 1, limit: 10_000, nearLimit: false })
    expect(shown.polling).toEqual({ intervalMinutes: expect.any(Number), healthyMinutes: 60 })
    await t.database.db.updateTable('crm_cdc_streams').set({ delivery_limit: 1 }).execute()
    expect((await status()).delivery).toMatchObject({ last24h: 1, limit: 1, nearLimit: true })

    expect((await put(admin, false)).json()).toMatchObject({ enabled: false, state: 'off' })
    await waitFor(async () => {
      const row = await t.database.db.selectFrom('crm_cdc_streams').selectAll().executeTakeFirstOrThrow()
      expect(row).toMatchObject({ state: 'off', holder: null })
    })
  })

  it('is for admins only', async () => {
    const member = await t.signIn((await t.createUser({ role: 'member' })).email)
    expect((await member.request({ url: '/api/admin/crm/realtime' })).statusCode).toBe(403)
    expect((await put(member, true)).statusCode).toBe(403)
    expect((await t.anonymous().request({ url: '/api/admin/crm/realtime' })).statusCode).toBe(401)
    expect((await put(t.anonymous(), false)).statusCode).toBe(401)
  })
})
