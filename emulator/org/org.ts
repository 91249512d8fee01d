// The emulated org: its records, who can sign in, its API limits and clock, and the faults the control API
// asked for. Everything the routes need hangs off one Org object, built by createOrg().
import type { Socket } from 'node:net'

import { AuthState } from './auth-state.js'
import { seedCurrencyTypes } from './currencies.js'
import { createIdFactory } from './ids.js'
import { RecentlyViewed, type RecentUse } from './recently-viewed.js'
import { RecordStore } from './record-store.js'
import { buildSchema } from './schema.js'

export interface Limits {
  /** DailyApiRequests Max: Developer Edition 15,000; Enterprise 100,000 + per license
   * (https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm). */
  dailyApiRequests: number
  apiRequestsUsed: number
  dailyBulkQueryJobs: number
  bulkQueryJobsUsed: number
}

/** What each kind does: emulator/http/faults.ts. */
export const FAULT_KINDS = [
  'invalid_session',
  'request_limit',
  'server_error',
  'unavailable',
  'slow',
  'drop',
  'cut_body',
  'reset_body',
  'stall_body',
  'cut_chunked',
  'malformed_body',
  'unable_to_lock_row',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface Fault {
  id: number
  /** Matched against `METHOD path`: a substring, or a regular expression when written `re:<pattern>`. */
  match: string
  /** Also required: this substring in the query's SOQL (the `q` parameter), to break one query among many. */
  soql: string | undefined
  kind: FaultKind
  /** Remaining calls to affect; undefined = until cleared. */
  remaining: number | undefined
  probability: number
  /** Affects only every Nth matching call (the Nth, the 2Nth, ...); 1 = each. */
  every: number
  /** Matching calls seen so far, for `every`. */
  matched: number
  delayMs: number
}

export interface LoggedRequest {
  at: string
  method: string
  path: string
  /** 0 when no response line was sent (a `drop` fault). */
  status: number
  userId: string | null
  /** The sObject a REST query or query page read (emulator bookkeeping for benchmarks, not a Salesforce shape). */
  object?: string
  /** The injected fault that hit this call, if any. */
  fault?: FaultKind
}

/** Set by the query routes, read when the request is logged. */
export const queriedObjects = new WeakMap<object, string>()

export interface Org {
  id: string
  name: string
  records: RecordStore
  auth: AuthState
  /** Each user's recently viewed and referenced records (FOR VIEW, FOR REFERENCE, /recent). */
  recent: RecentlyViewed
  limits: Limits
  faults: Fault[]
  /** Connections a `stall_body` fault holds open (closed when the faults are cleared or the emulator closes). */
  stalledConnections: Set<Socket>
  requestLog: LoggedRequest[]
  /** Milliseconds added to the real clock (the control API moves time forward). */
  clockOffsetMs: number
  now(): number
  multiCurrency: boolean
  /** The "integration user" the demo credentials belong to. */
  integrationUserId: string
}

export function createOrg(options: { multiCurrency?: boolean; name?: string } = {}): Org {
  const newId = createIdFactory()
  const org = {
    clockOffsetMs: 0,
    now: () => Date.now() + org.clockOffsetMs,
  } as Org
  const orgId = newId('00D')
  org.id = orgId
  org.name = options.name ?? 'Emulated Org'
  org.multiCurrency = options.multiCurrency ?? false
  org.records = new RecordStore(buildSchema({ multiCurrency: org.multiCurrency }), () => org.now(), newId)
  if (org.multiCurrency) seedCurrencyTypes(org.records)
  org.auth = new AuthState(orgId, () => org.now())
  org.recent = new RecentlyViewed()
  org.limits = {
    dailyApiRequests: 15_000,
    apiRequestsUsed: 0,
    dailyBulkQueryJobs: 10_000,
    bulkQueryJobsUsed: 0,
  }
  org.faults = []
  org.stalledConnections = new Set()
  org.requestLog = []
  org.integrationUserId = ''
  return org
}

/**
 * What SOQL FOR VIEW / FOR REFERENCE does to the records it retrieved: their LastViewedDate (or
 * LastReferencedDate) moves to now and they join the user's recently viewed list (recently-viewed.ts).
 */
export function recordUse(org: Org, userId: string, objectName: string, ids: string[], use: RecentUse): void {
  const at = org.now()
  const field = use === 'VIEW' ? 'LastViewedDate' : 'LastReferencedDate'
  for (const id of ids) org.records.recordUse(objectName, id, field, at)
  org.recent.mark(userId, objectName, ids, at)
}
