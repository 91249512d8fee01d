import { z } from 'zod'

import { connectionStatuses } from './crm-connection.api.js'
import { defineEndpoint } from './endpoint.js'
import { MessagePartSchema } from './message-parts.js'

export const syncTriggers = ['initial', 'scheduled', 'manual', 'reconcile'] as const
export const syncStatuses = ['running', 'succeeded', 'partial', 'paused', 'failed'] as const

export const ApiSyncRunSchema = z.object({
  id: z.number(),
  trigger: z.enum(syncTriggers),
  method: z.enum(['rest', 'bulk']).nullable(),
  status: z.enum(syncStatuses),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number(),
  recordsTotal: z.number().nullable(),
  recordsFetched: z.number(),
  recordsInserted: z.number(),
  recordsUpdated: z.number(),
  recordsDeleted: z.number(),
  recordsUnchanged: z.number(),
  apiCalls: z.number(),
  apiRemaining: z.number().nullable(),
  apiMax: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().nullable() }).nullable(),
  /**
   * Why the run is not moving: ended as stalled (no progress for CRM_SYNC_STALL_MS) or interrupted (its process
   * died); still running but its process stopped reporting, or no page saved for half the stall limit.
   */
  stop: z.enum(['stalled', 'interrupted', 'not_reporting', 'no_progress']).nullable(),
  /** While running: seconds since the last saved page (or, not reporting, since the last heartbeat). */
  idleSeconds: z.number().nullable(),
  /** Pages of opportunities this run saved, and when it saved the last. */
  lastPage: z.number(),
  lastProgressAt: z.string().nullable(),
  /**
   * Only while running and moving (stop null): share done, records per second, seconds left (null until
   * measurable, and once every record is fetched).
   */
  progress: z
    .object({
      percent: z.number().nullable(),
      recordsPerSecond: z.number().nullable(),
      secondsLeft: z.number().nullable(),
    })
    .nullable(),
})
export type ApiSyncRun = z.infer<typeof ApiSyncRunSchema>

export const SyncSettingsSchema = z.strictObject({
  intervalMinutes: z.number().int().min(1).max(1440),
  apiBudgetRunPercent: z.number().int().min(1).max(100),
  apiBudgetDayPercent: z.number().int().min(1).max(100),
  bulkThreshold: z.number().int().min(0).max(100_000_000),
  reconcileEveryHours: z.number().int().min(1).max(720),
  logRetentionDays: z.number().int().min(1).max(3650),
  extraFields: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(__c)?$/, 'Not a Salesforce field API name.'))
    .max(50),
})
export type SyncSettings = z.infer<typeof SyncSettingsSchema>

export const SyncHealthSchema = z.object({
  configured: z.boolean(),
  connectionStatus: z.enum(connectionStatuses).nullable(),
  statusReason: z.string().nullable(),
  statusHint: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  pausedUntil: z.string().nullable(),
  hiddenFields: z.array(z.string()),
  currentRun: ApiSyncRunSchema.nullable(),
  lastRun: ApiSyncRunSchema.nullable(),
  /** Several failed runs in a row (stalled, interrupted or otherwise): the admin's attention is needed. */
  runsFailing: z.object({ count: z.number(), message: z.string(), hint: z.string() }).nullable(),
  settings: SyncSettingsSchema.nullable(),
})
export type SyncHealth = z.infer<typeof SyncHealthSchema>

export const getSyncHealth = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/sync',
  access: 'admin',
  tag: 'crm-sync',
  summary:
    'Sync health at a glance: connection status, last success, next run, the running run with progress',
  response: SyncHealthSchema,
})

export const startSync = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/sync/runs',
  access: 'admin',
  tag: 'crm-sync',
  summary:
    'Synchronize now (or reconcile); when a run is already going, returns that run instead of starting another',
  body: z.strictObject({ trigger: z.enum(['manual', 'reconcile']) }),
  response: z.object({ run: ApiSyncRunSchema.nullable(), alreadyRunning: z.boolean(), queued: z.boolean() }),
  successStatus: 202,
})

export const listSyncRuns = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/sync/runs',
  access: 'admin',
  tag: 'crm-sync',
  summary: 'The Sync Log: runs, newest first, paged with `before` (a run id)',
  query: z.strictObject({
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    status: z.enum(syncStatuses).optional(),
  }),
  response: z.object({ runs: z.array(ApiSyncRunSchema), nextBefore: z.number().nullable() }),
})

export const getSyncRun = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/sync/runs/:id',
  access: 'admin',
  tag: 'crm-sync',
  summary: 'One run of the Sync Log with its events',
  params: z.strictObject({ id: z.coerce.number().int().positive('Not a run id.') }),
  response: z.object({
    run: ApiSyncRunSchema,
    events: z.array(
      z.object({
        id: z.number(),
        at: z.string(),
        level: z.enum(['info', 'warning', 'error']),
        /** As stored, moments in ISO 8601 (for logs and older clients). */
        message: z.string(),
        /** The message with its moments as data, for the reader's locale. */
        parts: z.array(MessagePartSchema),
      }),
    ),
  }),
})

export const updateSyncSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/sync/settings',
  access: 'admin',
  tag: 'crm-sync',
  summary: 'Schedule, API budget, Bulk threshold, reconciliation, log retention and extra fields',
  body: SyncSettingsSchema,
  response: SyncSettingsSchema,
})
