import type { z } from 'zod'

import type { AssignmentSettingsSchema } from '../../../contracts/api/members.api.js'
import type { Db } from '../../storage/open-database.js'

export type AssignmentSettings = z.infer<typeof AssignmentSettingsSchema>

export async function isAutoAssignEnabled(db: Db): Promise<boolean> {
  const row = await db.selectFrom('crm_assignment_settings').select('auto_assign').executeTakeFirst()
  return row?.auto_assign ?? false
}

export async function readAssignmentSettings(db: Db): Promise<AssignmentSettings> {
  const row = await db
    .selectFrom('crm_assignment_settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.auto_assign', 's.updated_at', 's.updated_by', 'u.name as updated_by_name'])
    .executeTakeFirstOrThrow()
  return {
    autoAssign: row.auto_assign,
    updatedAt: row.updated_at.toISOString(),
    updatedBy:
      row.updated_by && row.updated_by_name ? { id: row.updated_by, name: row.updated_by_name } : null,
  }
}

/** Stores the setting; returns whether it changed. */
export async function writeAutoAssign(
  db: Db,
  autoAssign: boolean,
  actorUserId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .updateTable('crm_assignment_settings')
    .set({ auto_assign: autoAssign, updated_at: now, updated_by: actorUserId })
    .where('auto_assign', '=', !autoAssign)
    .returning('auto_assign')
    .execute()
  return rows.length > 0
}
