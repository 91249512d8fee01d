// What request handlers and services need from the outside world, built once in main.ts (the composition
// root) or in a test. Passing it explicitly keeps every dependency visible in signatures.
import type { Logger } from 'pino'

import { createReadCache, type ReadCache } from './cache/read-cache.js'
import { watchSessionWrites } from './cache/session-writes.js'
import type { Config } from './config.js'
import type { JobQueue } from './jobs/job-queue.js'
import type { CrmProvider } from './providers/crm-provider.js'
import { createSecretBox, loadMasterKey, type SecretBox } from './secrets/secret-box.js'
import { createOutboundGuard, type OutboundGuard } from './providers/salesforce/outbound-guard.js'
import { createSalesforceProvider } from './providers/salesforce/salesforce-provider.js'
import type { Db } from './storage/open-database.js'

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface AppDeps {
  config: Config
  db: Db
  log: Logger
  clock: Clock
  /** Seals and opens secrets at rest (CRM and identity) with the master key (kept outside the database). */
  secrets: SecretBox
  /** Decides which URLs the connector may call (Salesforce hosts, plus CRM_ALLOWED_HOSTS). */
  outboundGuard: OutboundGuard
  /** Sessions and portal responses kept in memory; inactive until followChanges() connects it. */
  readCache: ReadCache
  /** The CRM the connection talks to (Salesforce), behind the CrmProvider interface. */
  crmProvider: CrmProvider
  /** Background jobs (pg-boss): notification email, digests, cleanup. Absent in tests that do not need them. */
  jobs?: JobQueue | undefined
}

/** Builds the deps from the few things that differ between the server, a worker and a test. */
export function assembleDeps(parts: {
  config: Config
  db: Db
  log: Logger
  clock?: Clock
  jobs?: JobQueue
}): AppDeps {
  const outboundGuard = createOutboundGuard(parts.config.crm.allowedHosts)
  const { apiVersion, httpTimeoutMs, pubSub } = parts.config.crm
  const readCache = createReadCache(parts.config.readCache)
  return {
    ...parts,
    // Statements through deps.db that may change a cached session flush it after the request (route.ts).
    db: parts.db.withPlugin(watchSessionWrites(readCache)),
    clock: parts.clock ?? systemClock,
    secrets: createSecretBox(loadMasterKey(parts.config)),
    outboundGuard,
    readCache,
    crmProvider: createSalesforceProvider({
      guard: outboundGuard,
      apiVersion,
      timeoutMs: httpTimeoutMs,
      pubSub: { address: pubSub.address, caPem: pubSub.caPem },
    }),
  }
}
