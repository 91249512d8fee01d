import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeConnection } from '../../testing/crm-factories.js'
import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator } from '../../testing/sync-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'

/** Holds sync runs after their next stored page until released, so a test can look at a run mid-way. */
function pageGate() {
  let hold: { reached: () => void; released: Promise<void> } | undefined
  return {
    hooks: {
      afterPage: async () => {
        if (!hold) return
        hold.reached()
        await hold.released
      },
    },
    holdNextPage() {
      let release!: () => void
      let reached!: () => void
      const heldAtPage = new Promise<void>((resolve) => (reached = resolve))
      hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) }
      return {
        heldAtPage,
        release: () => {
          hold = undefined
          release()
        },
      }
    },
  }
}

describe('Synchronize and the Sync Log', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  const gate = pageGate()

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 1500, seed: 2 })
    t = await buildTestApp({ syncHooks: gate.hooks }) // syncs run in this process, as in embedded mode
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  })
  afterAll(async () => {
    await t.close()
    await emulator.close()
  })

  it('starts the initial sync after Save Settings and records it in the Sync Log', async () => {
    await connectToEmulator(admin, emulator)
    const run = await waitFor(async () => {
      const health = (await admin.request({ method: 'GET', url: '/api/admin/crm/sync' })).json<{
        lastRun: { id: number; status: string } | null
      }>()
      expect(health.lastRun?.status).toBe('succeeded')
      return health.lastRun as { id: number; status: string }
    })
    expect(run).toMatchObject({
      trigger: 'initial',
      method: 'rest',
      recordsFetched: 1500,
      recordsInserted: 1500,
      error: null,
    })
    const log = (await admin.request({ method: 'GET', url: '/api/admin/crm/sync/runs' })).json()
    expect(log.runs.map((r: { id: number }) => r.id)).toContain(run.id)
    const detail = (await admin.request({ method: 'GET', url: `/api/admin/crm/sync/runs/${run.id}` })).json()
    expect(detail.events.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /Synced 1500 opportunities/,
    )
  })

  it('shows the running run instead of starting a second one', async () => {
    await emulator.control('POST', '/opportunities/mutate', { percent: 100, seed: 5 })
    // The run stops after its first stored page until released: then it is running, knows its total and
    // has fetched some, whatever the machine's speed.
    const held = gate.holdNextPage()
    const first = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/sync/runs',
      payload: { trigger: 'manual' },
    })
    expect(first.statusCode).toBe(202)
    expect(first.json()).toMatchObject({
      alreadyRunning: false,
      queued: false,
      run: { status: 'running', trigger: 'manual' },
    })
    await held.heldAtPage
    const second = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/sync/runs',
      payload: { trigger: 'manual' },
    })
    expect(second.json()).toMatchObject({ alreadyRunning: true, run: { id: first.json().run.id } })
    const during = (await admin.request({ method: 'GET', url: '/api/admin/crm/sync' })).json()
    expect(during.currentRun).toMatchObject({
      id: first.json().run.id,
      progress: { percent: expect.any(Number) },
    })
    expect(during.currentRun.progress.percent).toBeGreaterThan(0)
    held.release()
    await waitFor(async () =>
      expect(
        (await admin.request({ method: 'GET', url: '/api/admin/crm/sync' })).json().currentRun,
      ).toBeNull(),
    )
  })

  it('validates and saves the sync settings', async () => {
    const bad = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/sync/settings',
      payload: {
        intervalMinutes: 0,
        apiBudgetRunPercent: 10,
        apiBudgetDayPercent: 25,
        bulkThreshold: 50000,
        reconcileEveryHours: 24,
        logRetentionDays: 30,
        extraFields: ['Not a field!'],
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['extraFields.0', 'intervalMinutes'])
    const good = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/sync/settings',
      payload: {
        intervalMinutes: 15,
        apiBudgetRunPercent: 20,
        apiBudgetDayPercent: 50,
        bulkThreshold: 100000,
        reconcileEveryHours: 12,
        logRetentionDays: 7,
        extraFields: ['Region__c'],
      },
    })
    expect(good.json()).toMatchObject({ intervalMinutes: 15, extraFields: ['Region__c'] })
  })

  it('exposes sync figures to Prometheus', async () => {
    const metrics = await t.anonymous().request({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/crm_sync_runs\{status="succeeded",trigger="initial"\} 1/)
    expect(metrics.body).toMatch(/crm_sync_last_success_timestamp_seconds [1-9]/)
    expect(metrics.body).toMatch(/crm_sync_records\{outcome="inserted"\} 1500/)
  })
})

describe('Sync Log retention', () => {
  let t: TestApp
  // Migrating a fresh database is set-up work: it belongs to the hook's time budget, not the test's.
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  it('drops runs older than the retention on the next scheduler pass', async () => {
    const connection = await makeConnection(t.database.db, { status: 'needs_attention' })
    await t.database.db
      .insertInto('crm_sync_state')
      .values({ connection_id: connection.id, log_retention_days: 7 })
      .execute()
    const old = new Date(Date.now() - 8 * 86_400_000)
    await t.database.db
      .insertInto('crm_sync_runs')
      .values([
        {
          connection_id: connection.id,
          trigger: 'scheduled',
          status: 'succeeded',
          started_at: old,
          finished_at: old,
        },
        {
          connection_id: connection.id,
          trigger: 'scheduled',
          status: 'succeeded',
          started_at: new Date(),
          finished_at: new Date(),
        },
      ])
      .execute()
    const { createSyncScheduler } = await import('./sync-scheduler.js')
    await createSyncScheduler(t.deps, {
      dispatch: async () => undefined,
      stop: async () => undefined,
    }).tick()
    const left = await t.database.db.selectFrom('crm_sync_runs').select('started_at').execute()
    expect(left.length).toBe(1)
  })
})
