// Helpers for sync tests: connect a test app to the emulator through the real Setup path, run a sync the way
// the scheduler does, and compare the cache with the org record by record.
import type { Logger } from 'pino'

import type { Org } from '../../emulator/org/org.js'
import { runSync, type StartResult } from '../crm/sync/sync-run.js'
import type { SyncTuning } from '../crm/sync/sync-context.js'
import type { SyncTrigger } from '../storage/database.js'
import type { Config } from '../config.js'
import type { EmulatorOptions } from '../../emulator/start-emulator.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from './emulator-fixture.js'
import { buildTestApp, type Client, type TestApp } from './test-app.js'

export const noSyncDispatcher = { dispatch: async () => undefined, stop: async () => undefined }

/** Fast, deterministic tuning for tests: small pages, no real waiting between retries. */
export const testTuning: Partial<SyncTuning> = {
  batchSize: 200,
  sleep: async () => undefined,
  random: () => 0.5,
  bulkPollIntervalMs: 10,
  bulkMaxRecords: 250,
}

export async function connectToEmulator(admin: Client, emulator: RunningEmulator): Promise<string> {
  const response = await admin.request({
    method: 'PUT',
    url: '/api/admin/crm/connection',
    payload: passwordSettings(emulator),
  })
  const body = response.json<{ saved: boolean; connection: { id: string } | null }>()
  if (!body.saved || !body.connection) throw new Error(`could not connect: ${response.body}`)
  return body.connection.id
}

export interface SyncSetup {
  emulator: RunningEmulator
  t: TestApp
  admin: Client
  connectionId: string
  close(): Promise<void>
}

/** An emulated org, a test app on the org's clock (moving the emulator's time moves ours) and a saved connection. */
export async function startSyncSetup(
  org: EmulatorOptions,
  config?: Config,
  options: { log?: Logger; jobs?: boolean } = {},
): Promise<SyncSetup> {
  const emulator = await startTestEmulator(org)
  const t = await buildTestApp({
    syncDispatcher: noSyncDispatcher,
    clock: { now: () => new Date(emulator.org.now()) },
    ...(config ? { config } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.jobs ? { jobs: {} } : {}),
  })
  const admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  const connectionId = await connectToEmulator(admin, emulator)
  return {
    emulator,
    t,
    admin,
    connectionId,
    close: async () => {
      await t.close()
      await emulator.close()
    },
  }
}

export async function syncNow(
  t: TestApp,
  connectionId: string,
  trigger: SyncTrigger,
  tuning: Partial<SyncTuning> = {},
): Promise<StartResult> {
  return runSync(t.deps, connectionId, trigger, { tuning: { ...testTuning, ...tuning } })
}

export async function lastRun(t: TestApp) {
  return t.database.db
    .selectFrom('crm_sync_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
}

const iso = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : null)

/** The org's opportunities (including those in the recycle bin) in the cache's terms, sorted by id. */
export function orgOpportunities(org: Org) {
  return [...org.records.allRecords('Opportunity')]
    .map((r) => ({
      id: String(r['Id']),
      name: r['Name'],
      amount: r['Amount'],
      stage_name: r['StageName'],
      close_date: r['CloseDate'],
      probability: r['Probability'],
      is_closed: r['IsClosed'],
      is_won: r['IsWon'],
      account_name:
        typeof r['AccountId'] === 'string'
          ? (org.records.findById('Account', r['AccountId'])?.['Name'] ?? null)
          : null,
      owner_email:
        typeof r['OwnerId'] === 'string'
          ? (org.records.findById('User', r['OwnerId'])?.['Email'] ?? null)
          : null,
      system_modstamp: iso(r['SystemModstamp']),
      is_deleted: r['IsDeleted'],
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
}

export async function cachedOpportunities(t: TestApp) {
  const rows = await t.database.db
    .selectFrom('crm_opportunities')
    .select([
      'id',
      'name',
      'amount',
      'stage_name',
      'close_date',
      'probability',
      'is_closed',
      'is_won',
      'account_name',
      'owner_email',
      'system_modstamp',
      'is_deleted',
    ])
    .orderBy('id')
    .execute()
  return rows
    .map((r) => ({ ...r, system_modstamp: r.system_modstamp.toISOString() }))
    .sort((a, b) => a.id.localeCompare(b.id))
}
