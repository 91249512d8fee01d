// What /metrics reports, read from the database at scrape time.
import { sql } from 'kysely'

import type { Db } from '../storage/open-database.js'

/** Sums over every run in the Sync Log. */
interface SyncTotals {
  fetched: number
  inserted: number
  updated: number
  deleted: number
  unchanged: number
  calls: number
}

interface LastRun {
  seconds: number | null
  remaining: number | null
}

export interface SyncMetricsSnapshot {
  runsByStatus: Array<{ status: string; trigger: string; n: number }>
  totals: SyncTotals | undefined
  lastRun: LastRun | undefined
  lastSuccessAt: number | null
  needsAttention: number
}

export async function readSyncMetrics(db: Db): Promise<SyncMetricsSnapshot> {
  const byStatus = await sql<{
    status: string
    trigger: string
    n: number
  }>`select status, trigger, count(*)::int as n from crm_sync_runs group by 1, 2`.execute(db)
  const totals = await sql<SyncTotals>`
    select coalesce(sum(records_fetched), 0)::bigint as fetched, coalesce(sum(records_inserted), 0)::bigint as inserted,
           coalesce(sum(records_updated), 0)::bigint as updated, coalesce(sum(records_deleted), 0)::bigint as deleted,
           coalesce(sum(records_unchanged), 0)::bigint as unchanged, coalesce(sum(api_calls), 0)::bigint as calls
    from crm_sync_runs`.execute(db)
  const last = await sql<LastRun>`
    select extract(epoch from (finished_at - started_at))::float8 as seconds, api_remaining as remaining
    from crm_sync_runs where finished_at is not null order by id desc limit 1`.execute(db)
  const success = await sql<{
    at: number | null
  }>`select extract(epoch from max(last_success_at))::float8 as at from crm_sync_state`.execute(db)
  const attention = await sql<{
    n: number
  }>`select count(*)::int as n from crm_connections where status = 'needs_attention'`.execute(db)
  return {
    runsByStatus: byStatus.rows,
    totals: totals.rows[0],
    lastRun: last.rows[0],
    lastSuccessAt: success.rows[0]?.at ?? null,
    needsAttention: attention.rows[0]?.n ?? 0,
  }
}
