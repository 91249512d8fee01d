// The Sync Log never shows a run that is not moving as live progress: a stalled or interrupted run reads as
// such with its hint, a running run whose process stopped reporting shows that instead of a percentage and a
// time left, and runs that keep failing raise the needs-attention state.
import type { ApiSyncRun, SyncHealth } from '../../../contracts/api/sync.api.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { connectToEmulator } from '../../testing/sync-fixture.js'
import { startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { noSyncDispatcher } from '../../testing/sync-fixture.js'
import { FAILING_RUNS_FOR_ATTENTION } from './sync-log.js'

describe('the Sync Log of runs that are not moving', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  let connectionId: string
  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 10, seed: 5 })
    t = await buildTestApp({ syncDispatcher: noSyncDispatcher })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    connectionId = await connectToEmulator(admin, emulator)
  })
  beforeEach(() => t.database.db.deleteFrom('crm_sync_runs').execute())
  afterAll(async () => {
    await t.close()
    await emulator.close()
  })

  const insertRun = (run: {
    status: 'running' | 'failed' | 'succeeded'
    code?: string
    heartbeatAgoMs?: number
  }) => {
    const now = Date.now()
    return t.database.db
      .insertInto('crm_sync_runs')
      .values({
        connection_id: connectionId,
        trigger: 'manual',
        status: run.status,
        started_at: new Date(now - 600_000),
        heartbeat_at: new Date(now - (run.heartbeatAgoMs ?? 0)),
        finished_at: run.status === 'running' ? null : new Date(now - 1000),
        records_total: 1000,
        records_fetched: 1000,
        error_code: run.code ?? null,
        error_message: run.code ? `${run.code} message` : null,
        error_hint: run.code ? 'Nothing is lost: the next run resumes from the last saved page.' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  }
  const health = async () =>
    (await admin.request({ method: 'GET', url: '/api/admin/crm/sync' })).json<SyncHealth>()

  it('shows a running run whose process stopped reporting without progress or time left', async () => {
    await insertRun({ status: 'running', heartbeatAgoMs: 40_000 })
    const body = await health()
    expect(body.currentRun).toMatchObject({ status: 'running', stop: 'not_reporting', progress: null })
    expect(body.currentRun?.idleSeconds).toBeGreaterThanOrEqual(40)
  })

  it('shows stalled and interrupted runs as such, and raises attention when runs keep failing', async () => {
    await insertRun({ status: 'succeeded' })
    await insertRun({ status: 'failed', code: 'WORKER_STOPPED' })
    let body = await health()
    expect(body.lastRun).toMatchObject({ status: 'failed', stop: 'interrupted', progress: null })
    expect(body.runsFailing).toBeNull()
    for (let i = 1; i < FAILING_RUNS_FOR_ATTENTION; i += 1)
      await insertRun({ status: 'failed', code: 'STALLED' })
    body = await health()
    expect(body.lastRun).toMatchObject({ stop: 'stalled', error: { code: 'STALLED' } })
    expect(body.runsFailing).toMatchObject({ count: FAILING_RUNS_FOR_ATTENTION })
    expect(body.runsFailing?.hint).toMatch(/resumes from the last saved page/)
    const runs = (await admin.request({ method: 'GET', url: '/api/admin/crm/sync/runs' })).json<{
      runs: ApiSyncRun[]
    }>()
    expect(runs.runs.map((run) => run.stop)).toEqual(['stalled', 'stalled', 'interrupted', null])
  })
})
