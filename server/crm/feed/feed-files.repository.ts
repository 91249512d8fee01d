// Files attached to feed posts, kept in the database (bytea) so every server process serves the same ones.
import { sql, type Expression, type RawBuilder } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { canSeeOpportunity } from './feed-access.repository.js'

export interface FileInfoRow {
  id: string
  post_id: string | null
  file_name: string
  content_type: string
  size_bytes: number
  is_image: boolean
}

export async function insertFile(
  db: Db,
  file: {
    opportunityId: string
    uploaderId: string
    fileName: string
    contentType: string
    isImage: boolean
    content: Uint8Array
    at: Date
  },
): Promise<FileInfoRow> {
  return db
    .insertInto('crm_feed_files')
    .values({
      opportunity_id: file.opportunityId,
      uploader_id: file.uploaderId,
      file_name: file.fileName,
      content_type: file.contentType,
      size_bytes: file.content.byteLength,
      is_image: file.isImage,
      content: file.content,
      created_at: file.at,
    })
    .returning(['id', 'post_id', 'file_name', 'content_type', 'size_bytes', 'is_image'])
    .executeTakeFirstOrThrow()
}

/**
 * Attaches the uploader's own unattached files of this opportunity to a post; returns how many it took
 * (fewer than asked means some id was not such a file).
 */
export async function attachFiles(
  db: Db,
  postId: string,
  opportunityId: string,
  uploaderId: string,
  fileIds: readonly string[],
): Promise<number> {
  if (fileIds.length === 0) return 0
  const rows = await db
    .updateTable('crm_feed_files')
    .set({ post_id: postId })
    .where('id', 'in', [...fileIds])
    .where('opportunity_id', '=', opportunityId)
    .where('uploader_id', '=', uploaderId)
    .where('post_id', 'is', null)
    .returning('id')
    .execute()
  return rows.length
}

/**
 * The files of a post or reply in upload order, as a column of the statement that reads the post (a JSON
 * array from the crm_feed_files_post index): a feed page sends no statement of its own for its files.
 */
export function filesOfPost(postId: Expression<unknown>): RawBuilder<FileInfoRow[]> {
  return sql<FileInfoRow[]>`(
    select coalesce(json_agg(json_build_object(
             'id', f.id, 'post_id', f.post_id, 'file_name', f.file_name, 'content_type', f.content_type,
             'size_bytes', f.size_bytes, 'is_image', f.is_image) order by f.created_at, f.id), '[]'::json)
    from crm_feed_files f
    where f.post_id = ${postId})`
}

/**
 * A file with its content, if the viewer may see its opportunity and it belongs to a live post (or is the
 * viewer's own upload not yet posted).
 */
export async function findFileForViewer(
  db: Db,
  viewer: Viewer,
  fileId: string,
): Promise<(FileInfoRow & { content: Uint8Array }) | undefined> {
  const { rows } = await sql<FileInfoRow & { content: Uint8Array }>`
    select f.id, f.post_id, f.file_name, f.content_type, f.size_bytes, f.is_image, f.content
    from crm_feed_files f
    join crm_opportunities o on o.id = f.opportunity_id
    left join crm_feed_posts p on p.id = f.post_id
    left join crm_feed_posts parent on parent.id = p.parent_id
    where f.id = ${fileId} and ${canSeeOpportunity(viewer)}
      and (case when f.post_id is null then f.uploader_id = ${viewer.userId}
                else p.deleted_at is null and parent.deleted_at is null end)`.execute(db)
  return rows[0]
}
