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
