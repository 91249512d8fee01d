// Real-time updates (Change Data Capture over Salesforce's Pub/Sub API): the admin's switch and the stream's
// state. Polling keeps running either way; the stream only makes changes arrive sooner.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

/**
 * off: switched off, or no process runs the stream yet; connecting: opening it; connected: receiving;
 * reconnecting: it failed and retries by itself; failed: it needs the admin (the hint says what to do).
 */
export const realtimeStates = ['off', 'connecting', 'connected', 'reconnecting', 'failed'] as const

export const RealtimeStatusSchema = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  state: z.enum(realtimeStates),
  stateAt: z.string().nullable(),
  /** host:pid of the process running the stream (one across all server and worker processes). */
  holder: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  eventsApplied: z.number(),
  lastError: z
    .object({ code: z.string(), message: z.string(), hint: z.string().nullable(), at: z.string().nullable() })
    .nullable(),
  /** The last applied batch: from its newest change's commit in Salesforce to its commit here. */
  lastLagMs: z.number().nullable(),
  /** The last 30 minutes, oldest first: events delivered, changes applied, their mean and worst lag. */
  minutes: z.array(
    z.object({
      minute: z.string(),
      delivered: z.number(),
      applied: z.number(),
      lagMsAvg: z.number().nullable(),
      lagMsMax: z.number().nullable(),
    }),
  ),
  /** Events delivered over the rolling 24 hours (each counts toward the org's allocation) and the limit. */
  delivery: z.object({ last24h: z.number(), limit: z.number().nullable(), nearLimit: z.boolean() }),
  /** Scheduled syncs keep running: every intervalMinutes, or every healthyMinutes while the stream is healthy. */
  polling: z.object({ intervalMinutes: z.number().nullable(), healthyMinutes: z.number() }),
  /** The stream's own log, newest first: reconnects, gaps, overflows, a lost position, each with its hint. */
  log: z.array(
    z.object({
      at: z.string(),
      level: z.enum(['info', 'warning', 'error']),
      message: z.string(),
      hint: z.string().nullable(),
    }),
  ),
})
export type RealtimeStatus = z.infer<typeof RealtimeStatusSchema>

export const getRealtimeStatus = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/realtime',
  access: 'admin',
  tag: 'crm-realtime',
  summary: 'Real-time updates (Change Data Capture): switch and stream state',
  response: RealtimeStatusSchema,
})

export const setRealtimeEnabled = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/realtime',
  access: 'admin',
  tag: 'crm-realtime',
  summary:
    'Turns real-time updates on (after checking that Salesforce sends Opportunity change events to the integration user) or off',
  body: z.strictObject({ enabled: z.boolean() }),
  response: RealtimeStatusSchema,
})
