// Runs a CompiledQuery over the org: filter, sort, OFFSET/LIMIT. Returns references to the matching records
// (no copies), which is what a cursor snapshots.

import type { SfRecord, SoqlDataSource } from '../org/model.js'
import type { CompiledQuery } from './compile.js'
import { sortRecords } from './order.js'

export interface RunOptions {
  /** /queryAll and Bulk `queryAll`: include soft-deleted rows (IsDeleted = true). /query never returns them. */
  includeDeleted: boolean
}

export function runQuery(q: CompiledQuery, ds: SoqlDataSource, opts: RunOptions): SfRecord[] {
  const where = q.where
  const offset = q.offset ?? 0
  // Without ORDER BY the scan can stop as soon as OFFSET + LIMIT rows matched.
  const stopAfter = q.order.length === 0 && q.limit !== undefined ? offset + q.limit : Infinity
  const matched: SfRecord[] = []
  for (const rec of ds.allRecords(q.object.name)) {
    if (!opts.includeDeleted && rec['IsDeleted'] === true) continue
    if (where && !where(rec)) continue
    matched.push(rec)
    if (matched.length >= stopAfter) break
  }
  const sorted = sortRecords(matched, q.order)
  if (offset === 0 && (q.limit === undefined || q.limit >= sorted.length)) return sorted
  return sorted.slice(offset, q.limit === undefined ? undefined : offset + q.limit)
}
