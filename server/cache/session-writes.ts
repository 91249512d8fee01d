// Tells the read cache when a statement sent through `deps.db` may change a cached session: any insert,
// update or delete of `users` (role, name, deactivation) and any delete of `sessions` (sign-out, "sign out
// everywhere", expiry), the same events migration 0110's triggers report to other processes. The route
// (http/route.ts) flushes this process's cached sessions after a request during which one was sent, so such a
// change takes effect at once here, while the feed's posts, reads and reactions (most writes) leave every
// other user's cached session alone. Raw `sql` statements are not seen: write these tables through the query
// builder (they are, in users.repository.ts and sessions.repository.ts); the change notification still
// covers anything missed, a moment later.
import {
  AliasNode,
  TableNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'

import type { ReadCache } from './read-cache.js'

export function watchSessionWrites(cache: Pick<ReadCache, 'noteSessionWrite'>): KyselyPlugin {
  return {
    transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
      if (changesSessions(node)) cache.noteSessionWrite()
      return node
    },
    transformResult: async ({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
      result,
  }
}

function changesSessions(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode':
      return tableName(node.into) === 'users'
    case 'UpdateQueryNode':
      return tableName(node.table) === 'users'
    case 'DeleteQueryNode':
      return node.from.froms.some((from) => ['users', 'sessions'].includes(tableName(from) ?? ''))
    default:
      return false
  }
}

/** `users` for the table node of `users` or `users as u`. */
function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined
  if (AliasNode.is(node)) return tableName(node.node)
  return TableNode.is(node) ? node.table.identifier.name : undefined
}
