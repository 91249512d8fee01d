// Prometheus metrics. Sync figures are read from the database at scrape time, so they are right whichever
// process (server or worker) ran the sync, and survive restarts.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'

import type { ReadCache } from '../cache/read-cache.js'
import type { Db } from '../storage/open-database.js'
import { readMailFigures } from '../crm/mail/mail.repository.js'
import { readSyncMetrics } from './metrics.repository.js'

export interface Metrics {
  render(): Promise<string>
  contentType: string
}

export function createMetrics(db: Db, readCache: Pick<ReadCache, 'stats'>): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const runs = new Gauge({
    name: 'crm_sync_runs',
    help: 'Sync runs recorded in the Sync Log, by status and trigger',
    labelNames: ['status', 'trigger'],
    registers: [registry],
  })
  const records = new Gauge({
    name: 'crm_sync_records',
    help: 'Records processed by recorded sync runs, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const apiCalls = new Gauge({
    name: 'crm_sync_api_calls',
    help: 'Salesforce API calls made by recorded sync runs',
    registers: [registry],
  })
  const duration = new Gauge({
    name: 'crm_sync_last_run_duration_seconds',
    help: 'Duration of the last finished sync run',
    registers: [registry],
  })
  const lastSuccess = new Gauge({
    name: 'crm_sync_last_success_timestamp_seconds',
    help: 'Unix time of the last successful sync (0 if none)',
    registers: [registry],
  })
  const apiRemaining = new Gauge({
    name: 'crm_salesforce_api_requests_remaining',
    help: 'Daily API requests the org had left at the last sync',
    registers: [registry],
  })
  const needsAttention = new Gauge({
    name: 'crm_connection_needs_attention',
    help: '1 when the Salesforce connection needs an admin',
    registers: [registry],
  })

  const emails = new Gauge({
    name: 'crm_notification_emails',
    help: 'Notification emails by state: sent, pending, failing (pending with a failed attempt), skipped, unconfirmed (sent, but the connection was lost before the server confirmed it; not sent again), stalled (pending, claimed over 15 minutes ago by a sender that stopped; not sent again)',
    labelNames: ['state'],
    registers: [registry],
  })

  // This process's own figures (each server process has its own cache).
  const cacheAnswers = new Gauge({
    name: 'crm_read_cache_answers',
    help: 'Cacheable reads since this process started, by how they were answered: hit (from memory), shared (by the same read under way), miss (read from the database)',
    labelNames: ['result'],
    registers: [registry],
  })
  const cacheBytes = new Gauge({
    name: 'crm_read_cache_bytes',
    help: 'Bytes of answers this process keeps in memory (READ_CACHE_MB caps it)',
    registers: [registry],
  })

  const collect = async () => {
    const cache = readCache.stats()
    for (const result of ['hit', 'shared', 'miss'] as const)
      cacheAnswers.set({ result }, cache.answers[result])
    cacheBytes.set(cache.responseBytes)
    const mail = await readMailFigures(db)
    for (const state of ['sent', 'pending', 'failing', 'skipped', 'unconfirmed', 'stalled'] as const)
      emails.set({ state }, mail[state])
    const snapshot = await readSyncMetrics(db)
    runs.reset()
    for (const row of snapshot.runsByStatus) runs.set({ status: row.status, trigger: row.trigger }, row.n)
    const total = snapshot.totals
    if (total) {
      for (const outcome of ['fetched', 'inserted', 'updated', 'deleted', 'unchanged'] as const)
        records.set({ outcome }, Number(total[outcome]))
      apiCalls.set(Number(total.calls))
    }
    duration.set(snapshot.lastRun?.seconds ?? 0)
    if (snapshot.lastRun?.remaining != null) apiRemaining.set(snapshot.lastRun.remaining)
    lastSuccess.set(snapshot.lastSuccessAt ?? 0)
    needsAttention.set(snapshot.needsAttention)
  }
  return {
    contentType: registry.contentType,
    render: async () => {
      await collect()
      return registry.metrics()
    },
  }
}
