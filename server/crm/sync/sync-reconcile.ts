// Reconciliation: list every Id and SystemModstamp Salesforce has (two narrow columns, cheap in API calls),
// park them in crm_reconcile_ids, and let SQL find the drift: cached records Salesforce no longer has (missed
// deletes), and records that are missing or older in the cache (missed changes), which are fetched again by Id.
import { sql } from 'kysely'

import type { FieldPlan } from './opportunity-fields.js'
import { toOpportunityRow } from './opportunity-fields.js'
import { upsertOpportunities } from './opportunity-upsert.js'
import { bulkQueryPages, restQueryPages, type Page } from './salesforce-reader.js'
import type { RunContext } from './sync-context.js'

export interface ReconcileReport {
  compared: number
  missedDeletes: number
  refetched: number
}

const ID_CHUNK = 200

export async function reconcile(
  context: RunContext,
  plan: FieldPlan,
  useBulk: boolean,
): Promise<ReconcileReport> {
  const { deps, runId, connectionId, tuning } = context
  const version = deps.config.crm.apiVersion
  const soql = 'SELECT Id, SystemModstamp FROM Opportunity'
  const pages: AsyncGenerator<Page> = useBulk
    ? bulkQueryPages(context.tracker, version, soql, {
        includeDeleted: false,
        maxRecords: tuning.bulkMaxRecords,
        pollIntervalMs: tuning.bulkPollIntervalMs,
        sleep: tuning.sleep,
      })
    : restQueryPages(context.tracker, version, soql, { includeDeleted: false, batchSize: tuning.batchSize })
  let compared = 0
  for await (const page of pages) {
    if (page.records.length === 0) continue
    const ids = page.records.map((r) => String(r['Id']))
    const stamps = page.records.map((r) => new Date(String(r['SystemModstamp'])).toISOString())
    await sql`
      insert into crm_reconcile_ids (run_id, id, system_modstamp)
      select ${runId}, r.id, r.stamp from unnest(${ids}::text[], ${stamps}::timestamptz[]) as r(id, stamp)
      on conflict do nothing`.execute(deps.db)
    compared += ids.length
    await context.saveProgress()
  }

  const missed = await sql<{ id: string }>`
    update crm_opportunities o set is_deleted = true, deleted_at = now()
    where o.connection_id = ${connectionId} and not o.is_deleted
      and not exists (select 1 from crm_reconcile_ids r where r.run_id = ${runId} and r.id = o.id)
    returning o.id`.execute(deps.db)

  let refetched = 0
  let after = ''
  for (;;) {
    const stale = await sql<{ id: string }>`
      select r.id from crm_reconcile_ids r
      left join crm_opportunities o on o.id = r.id
      where r.run_id = ${runId} and r.id > ${after}
        and (o.id is null or o.system_modstamp < r.system_modstamp or o.is_deleted)
      order by r.id limit ${ID_CHUNK}`.execute(deps.db)
    if (stale.rows.length === 0) break
    after = stale.rows[stale.rows.length - 1]?.id ?? after
    const idList = stale.rows.map((row) => `'${row.id.replace(/[^A-Za-z0-9]/g, '')}'`).join(', ')
    for await (const page of restQueryPages(
      context.tracker,
      version,
      `SELECT ${plan.select.join(', ')} FROM Opportunity WHERE Id IN (${idList})`,
      { includeDeleted: false, batchSize: tuning.batchSize },
    )) {
      const rows = page.records.map((record) =>
        toOpportunityRow(record, plan, connectionId, deps.clock.now()),
      )
      const counts = await upsertOpportunities(deps.db, rows)
      refetched += counts.inserted + counts.updated
      context.counters.inserted += counts.inserted
      context.counters.updated += counts.updated
    }
  }
  await deps.db.deleteFrom('crm_reconcile_ids').where('run_id', '=', runId).execute()
  context.counters.deleted += missed.rows.length
  return { compared, missedDeletes: missed.rows.length, refetched }
}
