// The "stage order" step against the emulator: an org whose stage order (OpportunityStage.SortOrder) is
// neither alphabetical nor the order the stages were created in. After a sync the member's summary (board
// columns, chart), the admin's stage filter menu and the stage edit choices follow it, with the cache on and
// off; a stalled or cut answer to the stage query is a Sync Log warning with a hint and the rest of the run
// completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { passwordSettings, type RunningEmulator } from '../../testing/emulator-fixture.js'
import {
  cachedOpportunities,
  lastRun,
  orgOpportunities,
  startSyncSetup,
  syncNow,
  type SyncSetup,
} from '../../testing/sync-fixture.js'
import { testConfig, type Client, type TestApp } from '../../testing/test-app.js'

/** The org's order after the test reorders Setup's stages: not alphabetical, not creation order. */
const ORG_ORDER = [
  'Qualification',
  'Prospecting',
  'Value Proposition',
  'Needs Analysis',
  'Perception Analysis',
  'Id. Decision Makers',
  'Negotiation/Review',
  'Proposal/Price Quote',
  'Closed Lost',
  'Closed Won',
]
const DEADLINE_MS = 1_500

describe('stage order from OpportunityStage.SortOrder', () => {
  let setup: SyncSetup
  let emulator: RunningEmulator
  let t: TestApp
  let connectionId: string
  let member: Client
  let admin: Client

  const summaryStages = async () => {
    const response = await member.request({ method: 'GET', url: '/api/crm/opportunities/summary' })
    expect(response.statusCode, response.body).toBe(200)
    return response
      .json<{ stages: Array<{ stageName: string; sortOrder: number | null }> }>()
      .stages.map((stage) => [stage.stageName, stage.sortOrder])
  }
  const menuStages = async () => {
    const response = await admin.request({
      method: 'GET',
      url: '/api/admin/crm/opportunities/filter-options',
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ stages: Array<{ name: string }> }>().stages.map((stage) => stage.name)
  }
  const editStages = async () => {
    const response = await member.request({ method: 'GET', url: '/api/crm/edit-options' })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<{
      fields: Array<{ name: string; picklistValues: Array<{ value: string }> }>
    }>()
    return body.fields.find((field) => field.name === 'StageName')?.picklistValues.map((v) => v.value)
  }
  /** The stages deals are in, in the org's order, with their SortOrder. */
  const expectedSummary = () => {
    const used = new Set(orgOpportunities(emulator.org).flatMap((o) => (o.is_deleted ? [] : [o.stage_name])))
    return ORG_ORDER.flatMap((name, index) => (used.has(name) ? [[name, index + 1]] : []))
  }
  const stageEvents = async (runId: number) =>
    (
      await t.database.db
        .selectFrom('crm_sync_events')
        .select(['level', 'message'])
        .where('run_id', '=', runId)
        .execute()
    ).filter((event) => /stage order/.test(event.message))

  beforeAll(async () => {
    setup = await startSyncSetup(
      { opportunities: 120, seed: 77 },
      testConfig({ CRM_HTTP_TIMEOUT_MS: String(DEADLINE_MS) }),
    )
    ;({ emulator, t, connectionId, admin } = setup)
    for (const stage of emulator.org.records.allRecords('OpportunityStage')) {
      const sortOrder = ORG_ORDER.indexOf(String(stage['ApiName'])) + 1
      expect(sortOrder).toBeGreaterThan(0)
      await emulator.control.updateRecord('OpportunityStage', String(stage['Id']), { SortOrder: sortOrder })
    }
    await setCrmModuleEnabled(t.database.db, true)
    const edits = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/edit-settings',
      payload: { allowEdits: true, editableFields: ['StageName'], whoMayEdit: 'members' },
    })
    expect(edits.statusCode, edits.body).toBe(200)
    const user = await t.createUser()
    member = await t.signIn(user.email)
    expect(await syncNow(t, connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    const ids = orgOpportunities(emulator.org).flatMap((o) => (o.is_deleted ? [] : [o.id]))
    await assignManually(t.database.db, user.id, ids)
  })
  afterAll(() => setup.close())

  it('stores the org’s stages and serves summary, filter menu and edit choices in SortOrder (cache on)', async () => {
    const rows = await t.database.db
      .selectFrom('crm_opportunity_stages')
      .select(['api_name', 'sort_order', 'is_closed', 'is_won', 'forecast_category_name'])
      .orderBy('sort_order')
      .execute()
    expect(rows.map((row) => row.api_name)).toEqual(ORG_ORDER)
    expect(rows.find((row) => row.api_name === 'Closed Won')).toMatchObject({ is_closed: true, is_won: true })
    const expected = expectedSummary()
    expect(expected.length).toBeGreaterThan(5)
    expect(await summaryStages()).toEqual(expected)
    expect(await menuStages()).toEqual(expected.map(([name]) => name))
    expect(await editStages()).toEqual(ORG_ORDER)
  })

  it('follows the same order with "Cache data locally" off (live reads), and a later reorder', async () => {
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { cacheLocally: false }),
    })
    expect(saved.json<{ saved: boolean }>().saved).toBe(true)
    expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    const expected = expectedSummary()
    expect(await summaryStages()).toEqual(expected)
    expect(await menuStages()).toEqual(expected.map(([name]) => name))

    // The admin moves Prospecting after every other stage in Setup: the next run picks it up.
    const prospecting = [...emulator.org.records.allRecords('OpportunityStage')].find(
      (stage) => stage['ApiName'] === 'Prospecting',
    )!
    await emulator.control.updateRecord('OpportunityStage', String(prospecting['Id']), { SortOrder: 20 })
    const again = await syncNow(t, connectionId, 'manual')
    expect(again, JSON.stringify(await lastRun(t))).toMatchObject({ status: 'succeeded' })
    const names = (await summaryStages()).map(([name]) => name)
    expect(names.at(-1)).toBe('Prospecting')
  })

  it.each(['stall_body', 'cut_body'] as const)(
    'a %s answer to the stage query is a Sync Log warning with a hint; the run completes and keeps the old order',
    async (kind) => {
      await emulator.control.mutateOpportunities({ percent: 20, seed: 5 })
      await emulator.control.addFault({ match: '/query', soql: 'FROM OpportunityStage', kind })
      const started = Date.now()
      const result = await syncNow(t, connectionId, 'manual', { retryAttempts: 2 })
      const elapsedMs = Date.now() - started
      await emulator.control.clearFaults()
      expect(result).toMatchObject({ status: 'succeeded' })
      const run = await lastRun(t)
      const events = await stageEvents(run.id)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ level: 'warning' })
      expect(events[0]!.message).toMatch(/^Could not read the stage order: .+ The next run tries again/)
      // Two attempts, each ended by the call deadline at the latest.
      expect(elapsedMs).toBeLessThan(DEADLINE_MS * 2 + 20_000)
      expect(run.records_fetched).toBeGreaterThan(0)
      expect(await cachedOpportunities(t)).toHaveLength(orgOpportunities(emulator.org).length)
      const names = (await summaryStages()).map(([name]) => name)
      expect(names.at(-1)).toBe('Prospecting')
    },
  )
})
