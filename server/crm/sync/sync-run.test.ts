import { afterAll, beforeAll, describe, expect, it } from 'vitest'

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

describe('the opportunity sync against the emulator', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let connectionId: string
  let setup: SyncSetup
  beforeAll(async () => {
    setup = await startSyncSetup({ opportunities: 1000, seed: 11 })
    ;({ emulator, t, connectionId } = setup)
  })
  afterAll(() => setup.close())

  it('makes the cache equal to the org, field by field, on the initial sync', async () => {
    const result = await syncNow(t, connectionId, 'initial')
    expect(result).toMatchObject({ started: true, status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
    const run = await lastRun(t)
    expect(run).toMatchObject({
      method: 'rest',
      records_total: 1000,
      records_fetched: 1000,
      records_inserted: 1000,
      status: 'succeeded',
    })
    // limits + describe + COUNT() + 5 pages + deleted + describeGlobal + team members + users (2 pages)
    expect(run.api_calls).toBeLessThanOrEqual(Math.ceil(1000 / 200) + 10)
    const users = await t.database.db.selectFrom('crm_salesforce_users').select('id').execute()
    const team = await t.database.db.selectFrom('crm_opportunity_team_members').select('id').execute()
    expect(users.length).toBe(emulator.org.records.count('User'))
    expect(team.length).toBe(emulator.org.records.count('OpportunityTeamMember'))
  })

  it("gives a single-currency org's amounts its corporate currency (Organization.DefaultCurrencyIsoCode)", async () => {
    // The emulator's org is single-currency by default: its records have no CurrencyIsoCode field at all.
    const currencies = await t.database.db
      .selectFrom('crm_opportunities')
      .select('currency_iso_code')
      .distinct()
      .execute()
    expect(currencies.map((row) => row.currency_iso_code)).toEqual(['USD'])
  })

  it('picks up changes, including records sharing a timestamp and automated changes, and nothing else', async () => {
    await emulator.control('POST', '/clock', { advanceMs: 60_000 })
    const mutated = (await emulator.control('POST', '/opportunities/mutate', { percent: 5, seed: 3 })) as {
      changed: number
    }
    const automated = (await emulator.control('POST', '/opportunities/mutate', {
      percent: 1,
      seed: 4,
      automated: true,
    })) as { changed: number }
    const result = await syncNow(t, connectionId, 'scheduled')
    expect(result).toMatchObject({ status: 'succeeded' })
    expect(await cachedOpportunities(t)).toEqual(orgOpportunities(emulator.org))
    const run = await lastRun(t)
    expect(run.records_updated).toBeGreaterThanOrEqual(mutated.changed)
    expect(run.records_updated).toBeLessThanOrEqual(mutated.changed + automated.changed)
    expect(run.records_inserted).toBe(0)
    expect(run.api_calls).toBeLessThan(15)
  })

  it('applies deletes, hard deletes and undeletes', async () => {
    const [a, b, c] = orgOpportunities(emulator.org).filter((o) => !o.is_deleted)
    await emulator.control('POST', `/records/Opportunity/${a?.id}/delete`)
    await emulator.control('POST', `/records/Opportunity/${b?.id}/delete`)
    await emulator.control('POST', `/records/Opportunity/${c?.id}/purge`)
    // Get Deleted only covers whole minutes that have passed (latestDateCovered).
    await emulator.control('POST', '/clock', { advanceMs: 61_000 })
    await syncNow(t, connectionId, 'manual')
    const deleted = await t.database.db
      .selectFrom('crm_opportunities')
      .select('id')
      .where('is_deleted', '=', true)
      .execute()
    const events = await t.database.db
      .selectFrom('crm_sync_events')
      .select('message')
      .where('run_id', '=', (await lastRun(t)).id)
      .execute()
    expect(deleted.map((r) => r.id).sort(), JSON.stringify(events)).toEqual([a?.id, b?.id, c?.id].sort())

    await emulator.control('POST', '/clock', { advanceMs: 2000 })
    await emulator.control('POST', `/records/Opportunity/${b?.id}/undelete`)
    await syncNow(t, connectionId, 'manual')
    const restored = await t.database.db
      .selectFrom('crm_opportunities')
      .select('is_deleted')
      .where('id', '=', b?.id ?? '')
      .executeTakeFirstOrThrow()
    expect(restored.is_deleted).toBe(false)
  })

  it('reconciles missed deletes and drift, and says what it fixed', async () => {
    // Drift behind the sync's back: a cached record that Salesforce does not have, and a stale one.
    // The record changed longest ago, so the incremental pass before reconciliation does not re-read it.
    const [victim] = orgOpportunities(emulator.org)
      .filter((o) => !o.is_deleted)
      .sort((x, y) => String(x.system_modstamp).localeCompare(String(y.system_modstamp)))
    await t.database.db
      .updateTable('crm_opportunities')
      .set({ name: 'stale', system_modstamp: new Date('2000-01-01T00:00:00Z') })
      .where('id', '=', victim?.id ?? '')
      .execute()
    await t.database.db
      .insertInto('crm_opportunities')
      .values({
        id: '006000000000GHOSTA',
        connection_id: connectionId,
        name: 'Ghost',
        system_modstamp: new Date(),
        extra_fields: '{}',
      })
      .execute()
    const result = await syncNow(t, connectionId, 'reconcile')
    expect(result).toMatchObject({ status: 'succeeded' })
    const ghost = await t.database.db
      .selectFrom('crm_opportunities')
      .select('is_deleted')
      .where('id', '=', '006000000000GHOSTA')
      .executeTakeFirstOrThrow()
    expect(ghost.is_deleted).toBe(true)
    const fixed = await t.database.db
      .selectFrom('crm_opportunities')
      .select('name')
      .where('id', '=', victim?.id ?? '')
      .executeTakeFirstOrThrow()
    expect(fixed.name).toBe(victim?.name)
    const events = await t.database.db
      .selectFrom('crm_sync_events')
      .select('message')
      .where('run_id', '=', (await lastRun(t)).id)
      .execute()
    expect(events.map((e) => e.message).join('\n'), JSON.stringify(events)).toMatch(
      /Reconciliation compared \d+ records: 1 missed deletes fixed, 1 missing or out-of-date records fetched again/,
    )
  })

  it('runs one sync at a time per connection', async () => {
    const [first, second] = await Promise.all([
      syncNow(t, connectionId, 'manual'),
      syncNow(t, connectionId, 'manual'),
    ])
    const started = [first, second].filter((r) => r.started)
    const refused = [first, second].filter((r) => !r.started)
    expect(started.length).toBe(1)
    expect(refused).toEqual([{ started: false, runningRunId: started[0]?.started ? started[0].runId : -1 }])
  })
})
