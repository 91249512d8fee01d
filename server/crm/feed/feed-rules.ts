// Who may write in a feed, and how a stored entry looks to a given viewer (what they may do with it).
import type { FeedEntry, FeedFile, RuleInForce } from '../../../contracts/api/feed.api.js'
import { AppError } from '../../errors.js'
import { assertModuleEnabled } from '../opportunities/crm-portal.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import type { EntryRow, FeedAccess } from './feed.repository.js'

export function mayPost(access: FeedAccess, viewer: Viewer): boolean {
  return !access.opportunityDeleted && (viewer.isAdmin || access.rules.whoMayPost.value === 'members')
}

/**
 * 403 ADMINS_ONLY for a member whom a rule refuses, saying whether the deal's own rule or the module default
 * decided, so they know whom to ask and what about.
 */
export function adminsOnly(rule: RuleInForce, action: 'post on' | 'add people to'): AppError {
  const where =
    rule.source === 'deal'
      ? 'an admin set this for this opportunity'
      : 'this is the module setting for every opportunity'
  return new AppError('ADMINS_ONLY', `Only admins may ${action} this opportunity: ${where}.`)
}

export function assertMayPost(access: FeedAccess, viewer: Viewer): void {
  assertModuleEnabled(access)
  if (access.opportunityDeleted) {
    throw new AppError(
      'OPPORTUNITY_DELETED',
      'This opportunity was deleted in Salesforce; its feed is read-only.',
    )
  }
  if (!mayPost(access, viewer)) throw adminsOnly(access.rules.whoMayPost, 'post on')
}

export function toEntry(
  row: EntryRow,
  access: FeedAccess,
  viewer: Viewer,
  files: FeedFile[] = [],
): FeedEntry {
  const isDeleted = row.deleted_at !== null
  const isAuthor = row.author_id !== null && row.author_id === viewer.userId
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    author: row.author_id && row.author_name ? { id: row.author_id, name: row.author_name } : null,
    body: isDeleted ? '' : row.body,
    bodyHtml: isDeleted ? '' : row.body_html,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    canEdit: !isDeleted && isAuthor && row.kind === 'post' && !access.opportunityDeleted,
    canDelete: !isDeleted && (viewer.isAdmin || (isAuthor && !access.opportunityDeleted)),
    files: isDeleted ? [] : files,
  }
}
