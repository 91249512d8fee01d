import { afterAll, beforeEach, beforeAll, describe, expect, it } from 'vitest'

import type { RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  cachedOpportunities,
  lastRun,
  orgOpportunities,
  startSyncSetup,
  syncNow,
  type SyncSetup,
} from '../../testing/sync-fixture.js'
import type { TestApp } from '../../testing/test-app.js'

const QUERY = '/services/data/v62.0/query'

describe('sync faults', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let connectionId: string
  let setup: SyncSetup
  beforeAll(async () => {
    setup = await startSyncSetup({ opportunities: 800, seed: 5 })
    ;({ emulator, t, connectionId } = setup)
  })
  beforeEach(async () => {
    await emulator.control('DELETE', '/faults')
    await emulator.control('PATCH', '/settings', { dailyApiRequests: 15_000, apiRequestsUsed: 0 })
  })
  afterAll(() => setup.close())

  const cacheSize = async () =>
    (await t.database.db.selectFrom('crm_opportunities').select('id').execute()).length

  it('fails with the cause and a hint after retrying a Salesforce that keeps answering 503, keeping what it had', async () => {
    await emulator.control('POST', '/faults', { match: '/query/', kind: 'unavailable' })
    const result = await syncNow(t, connectionId, 'initial')
    expect(result).toMatchObject({ status: 'failed' })
    const run = await lastRun(t)
    expect(run).toMatchObject({ error_code: 'SERVER_UNAVAILABLE', status: 'failed' })
    expect(run.error_hint).toMatch(/retries with backoff/)
    // The first page (before any locator) committed; the checkpoint stayed on it.
    expect(await cacheSize()).toBe(200)
    const events = await t.database.db
      .selectFrom('crm_sync_events')
      .select('message')
      .where('run_id', '=', run.id)
      .execute()
    expect(events.filter((e) => /retry \d/.test(e.message)).length).toBe(4)
  })

  it('resumes from the checkpoint on the next run and ends equal to the org', async () => {
    const result = await syncNow(t, connectionId, 'scheduled')
    expect(result).toMatchObject({ status: 'succeeded' })
    const run = await lastRun(t)
    expect(run.records_total).toBeLessThan(800)
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })

  it('retries a truncated page and writes nothing from it', async () => {
    await emulator.control('POST', '/opportunities/mutate', { percent: 30, seed: 9 })
    await emulator.control('POST', '/faults', { match: QUERY, kind: 'truncate', times: 1 })
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
    await emulator.control('POST', '/opportunities/mutate', { percent: 30, seed: 10 })
    await emulator.control('POST', '/faults', { match: QUERY, kind: 'truncate' })
    const before = await cachedOpportunities(t)
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'failed' })
    expect((await lastRun(t)).error_message).toMatch(/incomplete or malformed/)
    expect(await cachedOpportunities(t)).toEqual(before)
  })

  it('pauses on REQUEST_LIMIT_EXCEEDED, never reporting success, and schedules itself later', async () => {
    await emulator.control('POST', '/faults', { match: QUERY, kind: 'request_limit' })
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'paused' })
    const run = await lastRun(t)
    expect(run.error_code).toBe('REQUEST_LIMIT_EXCEEDED')
    const state = await t.database.db
      .selectFrom('crm_sync_state')
      .select(['paused_until', 'next_run_at'])
      .executeTakeFirstOrThrow()
    expect(state.paused_until?.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000)
  })

  it('stops at the API budget with status "partial", then the next run carries on', async () => {
    await emulator.control('POST', '/opportunities/mutate', { percent: 100, seed: 12 })
    // 10% of 150 = 15 calls for this run: limits, describe, COUNT(), then pages, not all of them.
    await emulator.control('PATCH', '/settings', { dailyApiRequests: 150, apiRequestsUsed: 0 })
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'partial' })
    const run = await lastRun(t)
    expect(run.error_code).toBe('API_BUDGET_REACHED')
    expect(run.api_calls).toBeLessThanOrEqual(15)
    await emulator.control('PATCH', '/settings', { dailyApiRequests: 15_000, apiRequestsUsed: 0 })
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })

  it('signs in again transparently when the session expires mid-run', async () => {
    await emulator.control('POST', '/opportunities/mutate', { percent: 50, seed: 13 })
    await emulator.control('POST', '/faults', { match: '/query/', kind: 'invalid_session', times: 1 })
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
  })
})
