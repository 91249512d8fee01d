// Entries the module writes into an opportunity's feed (kind 'system'), such as a change made from the portal.
// The text is Markdown rendered and sanitised like a post, so values typed by a person stay plain text.
import type { Db } from '../../storage/open-database.js'
import { insertEntry } from './feed.repository.js'
import { renderPost } from './markdown.js'

export async function addSystemEntry(
  db: Db,
  entry: { opportunityId: string; authorId: string | null; body: string; at: Date },
): Promise<string> {
  const row = await insertEntry(db, {
    opportunityId: entry.opportunityId,
    parentId: null,
    authorId: entry.authorId,
    kind: 'system',
    body: entry.body,
    bodyHtml: renderPost(entry.body),
    at: entry.at,
  })
  return row.id
}
