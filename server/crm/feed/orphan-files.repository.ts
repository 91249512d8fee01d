// Files uploaded for a post that was never written (the upload happens first, the post attaches it).
import type { Db } from '../../storage/open-database.js'

/** Removes files never attached to a post and uploaded before `before`; returns how many. */
export async function deleteOrphanFiles(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('crm_feed_files')
    .where('post_id', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
