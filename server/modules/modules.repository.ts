import type { Db } from '../storage/open-database.js'

export async function isModuleEnabled(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('module_settings').select('enabled').where('id', '=', id).executeTakeFirst()
  return row?.enabled ?? false
}

export async function setModuleEnabledRow(db: Db, id: string, enabled: boolean, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('module_settings')
    .set({ enabled, updated_at: now })
    .where('id', '=', id)
    .returning('enabled')
    .executeTakeFirstOrThrow()
  return row.enabled
}
