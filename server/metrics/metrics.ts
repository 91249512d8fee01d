// Prometheus metrics. Sync figures are read from the database at scrape time, so they are right whichever
// process (server or worker) ran the sync, and survive restarts.
import { sql } from 'kysely'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'

import type { Db } from '../storage/open-database.js'

export interface Metrics {
  render(): Promise<string>
  contentType: string
}

export function createMetrics(db: Db): Metrics {
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

  const collect = async () => {
    const byStatus = await sql<{
      status: string
      trigger: string
      n: number
    }>`select status, trigger, count(*)::int as n from crm_sync_runs group by 1, 2`.execute(db)
    runs.reset()
    for (const row of byStatus.rows) runs.set({ status: row.status, trigger: row.trigger }, row.n)
    const totals = await sql<{
      fetched: number
      inserted: number
      updated: number
      deleted: number
      unchanged: number
      calls: number
    }>`
      select coalesce(sum(records_fetched), 0)::bigint as fetched, coalesce(sum(records_inserted), 0)::bigint as inserted,
             coalesce(sum(records_updated), 0)::bigint as updated, coalesce(sum(records_deleted), 0)::bigint as deleted,
             coalesce(sum(records_unchanged), 0)::bigint as unchanged, coalesce(sum(api_calls), 0)::bigint as calls
      from crm_sync_runs`.execute(db)
    const total = totals.rows[0]
    if (total) {
      for (const outcome of ['fetched', 'inserted', 'updated', 'deleted', 'unchanged'] as const)
        records.set({ outcome }, Number(total[outcome]))
      apiCalls.set(Number(total.calls))
    }
    const last = await sql<{ seconds: number | null; remaining: number | null }>`
      select extract(epoch from (finished_at - started_at))::float8 as seconds, api_remaining as remaining
      from crm_sync_runs where finished_at is not null order by id desc limit 1`.execute(db)
    duration.set(last.rows[0]?.seconds ?? 0)
    if (last.rows[0]?.remaining != null) apiRemaining.set(last.rows[0].remaining)
    const success = await sql<{
      at: number | null
    }>`select extract(epoch from max(last_success_at))::float8 as at from crm_sync_state`.execute(db)
    lastSuccess.set(success.rows[0]?.at ?? 0)
    const attention = await sql<{
      n: number
    }>`select count(*)::int as n from crm_connections where status = 'needs_attention'`.execute(db)
    needsAttention.set(attention.rows[0]?.n ?? 0)
  }
  return {
    contentType: registry.contentType,
    render: async () => {
      await collect()
      return registry.metrics()
    },
  }
}
