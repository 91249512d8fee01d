// Two processes, one change stream: a real `npm run worker` process (server/worker.ts) holds the stream and
// applies a change; this process runs the same supervisor and is refused the lock; the worker is killed with
// SIGKILL, PostgreSQL frees its advisory lock as its connection drops, and this process takes over and applies
// a change made after the kill, from the worker's stored replay id (nothing lost, nothing applied twice).
// PostgreSQL only: on PGlite one process owns the data folder, so there is no second process to fail over to.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { accessToken } from '../../../emulator/testing/access-token.js'
import { pubSubSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { connectToEmulator, noSyncDispatcher, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, testConfig, type TestApp } from '../../testing/test-app.js'
import { CHILD_PROCESS_WAIT_MS, SLOW_TEST, waitFor } from '../../testing/timing.js'
import { HOLDER } from './cdc-runtime.js'
import { findStream, setStreamEnabled } from './cdc-streams.repository.js'
import { startRealtimeUpdates } from './realtime-updates.js'

const KEY = randomBytes(32).toString('base64')

describe('real-time updates across two processes', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let pubSub: ReturnType<typeof pubSubSettings>
  let child: ChildProcess | undefined
  let runtime: ReturnType<typeof startRealtimeUpdates> | undefined

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: 5, pubSubKeepaliveMs: 150 })
    pubSub = pubSubSettings(emulator)
    t = await buildTestApp({
      syncDispatcher: noSyncDispatcher,
      config: testConfig({
        CRM_ENCRYPTION_KEY: KEY,
        ...pubSub,
      }),
    })
  })
  afterAll(async () => {
    child?.kill('SIGKILL')
    await runtime?.stop()
    await t.close()
    await emulator.close()
  })

  it('a second process takes over the stream when the first is killed', SLOW_TEST, async (context) => {
    const url = t.database.url
    if (!url) {
      context.skip('two processes need PostgreSQL; this runs in the postgres project (TEST_DATABASE_URL)')
      return
    }
    const admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const connectionId = await connectToEmulator(admin, emulator)
    await syncNow(t, connectionId, 'initial')
    await setStreamEnabled(t.deps.db, connectionId, true)
    const token = await accessToken(emulator)
    const [first, second] = [...emulator.org.records.allRecords('Opportunity')].map((r) => String(r['Id']))
    const change = (id: string | undefined, amount: number) =>
      fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Amount: amount }),
      })
    const amount = async (id: string | undefined) =>
      (
        await t.database.db
          .selectFrom('crm_opportunities')
          .select('amount')
          .where('id', '=', id ?? '')
          .executeTakeFirst()
      )?.amount
    const stream = async () => (await findStream(t.deps.db, connectionId))!

    child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        CRM_ENCRYPTION_KEY: KEY,
        CRM_ALLOWED_HOSTS: '127.0.0.1:*',
        ...pubSub,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise((resolve) => child?.once('exit', resolve))
    const workerHolder = `${hostname()}:${child.pid}`
    await waitFor(async () => {
      expect(await stream(), stderr).toMatchObject({ holder: workerHolder, state: 'connected' })
      expect((await stream()).replay_id).not.toBeNull()
    }, CHILD_PROCESS_WAIT_MS)
    expect((await change(first, 4242)).status).toBe(204)
    await waitFor(async () => expect(await amount(first), stderr).toBe(4242))
    const appliedByWorker = (await stream()).events_applied

    // This process competes for the same stream and is refused while the worker lives.
    // As the server builds it on PostgreSQL: the config names the database, so the locks are advisory locks.
    const config = testConfig({
      DATABASE_URL: url,
      CRM_ENCRYPTION_KEY: KEY,
      ...pubSub,
    })
    expect(config.storage.kind).toBe('postgres')
    runtime = startRealtimeUpdates({ ...t.deps, config }, noSyncDispatcher, { tickMs: 100 })
    await runtime.tick()
    expect((await stream()).holder, `worker exit ${child.exitCode} ${child.signalCode}: ${stderr}`).toBe(
      workerHolder,
    )

    child.kill('SIGKILL')
    await exited
    expect((await change(second, 4343)).status).toBe(204)
    await waitFor(async () => {
      expect((await stream()).holder).toBe(HOLDER)
      expect(await amount(second)).toBe(4343)
    })
    expect(await stream()).toMatchObject({ state: 'connected', events_applied: appliedByWorker + 1 })
    expect(await amount(first)).toBe(4242)
  })
})
