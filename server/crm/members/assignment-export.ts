// CSV export of assignments (issue 17 item 7): email, opportunity_id, opportunity_name and source (manual or
// automatic; a membership that is both is manual, as removing the manual one would leave the automatic one).
// Rows are read a page at a time and written through csv-stringify (https://csv.js.org/stringify/) as the
// response stream asks for them, so 100,000 assignments never sit in memory together. Every cell is made safe
// for spreadsheets (csv-cells.ts), and a byte-order mark lets Excel read the file as UTF-8.
import { Readable } from 'node:stream'

import { stringify } from 'csv-stringify'

import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import { assignmentExportPage } from './assignment-export.repository.js'
import { escapeFormula } from './csv-cells.js'

export const ASSIGNMENT_EXPORT_COLUMNS = ['email', 'opportunity_id', 'opportunity_name', 'source'] as const
const PAGE_SIZE = 2_000

/** The export's rows, one page read at a time (only when the previous one has been taken). */
export async function* assignmentRows(db: Db, pageSize = PAGE_SIZE): AsyncGenerator<string[]> {
  let after: { userId: string; opportunityId: string } | null = null
  for (;;) {
    const page = await assignmentExportPage(db, after, pageSize)
    for (const row of page) {
      yield [
        row.email,
        row.opportunity_id,
        row.opportunity_name ?? '',
        row.is_manual ? 'manual' : 'automatic',
      ]
    }
    const last = page.at(-1)
    if (!last || page.length < pageSize) return
    after = { userId: last.user_id, opportunityId: last.opportunity_id }
  }
}

/** The CSV text as a stream of rows made safe for spreadsheets. */
export function assignmentCsv(db: Db, pageSize = PAGE_SIZE): Readable {
  const csv = stringify({ header: true, columns: [...ASSIGNMENT_EXPORT_COLUMNS], bom: true })
  const rows = Readable.from(
    (async function* () {
      for await (const row of assignmentRows(db, pageSize)) yield row.map(escapeFormula)
    })(),
  )
  rows.on('error', (err) => csv.destroy(err))
  return rows.pipe(csv)
}

/** The admin's export: audited, then streamed. */
export async function exportAssignments(deps: AppDeps, actorUserId: string): Promise<Readable> {
  await recordAuditEvent(deps.db, {
    actorUserId,
    action: 'crm.members.exported',
    targetType: 'crm_opportunity_members',
    details: { format: 'csv' },
  })
  return assignmentCsv(deps.db)
}
