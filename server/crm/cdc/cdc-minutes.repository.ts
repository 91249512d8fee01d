// Per-minute counts of the change stream (crm_cdc_minutes) and the Real-time panel's figures read from them.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

export interface BatchCounts {
  delivered: number
  applied: number
  lagMsSum: number
  lagMsMax: number
}

/** Adds one batch to its minute, in the batch's transaction, and drops minutes older than a day. */
export async function countBatchMinute(
  trx: Db,
  connectionId: string,
  now: Date,
  counts: BatchCounts,
): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS)
  await trx
    .insertInto('crm_cdc_minutes')
    .values({
      connection_id: connectionId,
      minute,
      delivered: counts.delivered,
      applied: counts.applied,
      lag_ms_sum: counts.lagMsSum,
      lag_ms_max: counts.lagMsMax,
    })
    .onConflict((oc) =>
      oc.columns(['connection_id', 'minute']).doUpdateSet((eb) => ({
        delivered: eb('crm_cdc_minutes.delivered', '+', eb.ref('excluded.delivered')),
        applied: eb('crm_cdc_minutes.applied', '+', eb.ref('excluded.applied')),
        lag_ms_sum: eb('crm_cdc_minutes.lag_ms_sum', '+', eb.ref('excluded.lag_ms_sum')),
        lag_ms_max: sql<number>`greatest(crm_cdc_minutes.lag_ms_max, excluded.lag_ms_max)`,
      })),
    )
    .execute()
  await trx
    .deleteFrom('crm_cdc_minutes')
    .where('connection_id', '=', connectionId)
    .where('minute', '<', new Date(minute.getTime() - DAY_MS))
    .execute()
}

export interface MinuteFigures {
  minute: Date
  delivered: number
  applied: number
  /** Mean commit-to-applied lag of the minute's applied changes; null when none was applied. */
  lagMsAvg: number | null
  lagMsMax: number | null
}

/** The last `minutes` minutes, every minute present (zeros where nothing came), oldest first. */
export async function recentMinutes(
  db: Db,
  connectionId: string,
  now: Date,
  minutes: number,
): Promise<MinuteFigures[]> {
  const last = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS
  const first = last - (minutes - 1) * MINUTE_MS
  const rows = await db
    .selectFrom('crm_cdc_minutes')
    .select(['minute', 'delivered', 'applied', 'lag_ms_sum', 'lag_ms_max'])
    .where('connection_id', '=', connectionId)
    .where('minute', '>=', new Date(first))
    .execute()
  const byMinute = new Map(rows.map((row) => [row.minute.getTime(), row]))
  return Array.from({ length: minutes }, (_, i) => {
    const at = first + i * MINUTE_MS
    const row = byMinute.get(at)
    const applied = row?.applied ?? 0
    return {
      minute: new Date(at),
      delivered: row?.delivered ?? 0,
      applied,
      lagMsAvg: row && applied > 0 ? Math.round(Number(row.lag_ms_sum) / applied) : null,
      lagMsMax: row && applied > 0 ? row.lag_ms_max : null,
    }
  })
}

/** Events delivered over the rolling 24 hours, as the org counts them against its allocation. */
export async function deliveredLastDay(db: Db, connectionId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('crm_cdc_minutes')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delivered'), eb.lit(0)).as('total'))
    .where('connection_id', '=', connectionId)
    .where('minute', '>', new Date(now.getTime() - DAY_MS))
    .executeTakeFirst()
  return Number(row?.total ?? 0)
}
