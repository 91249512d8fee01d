// "Connect my Salesforce account" for the signed-in user: whether they may (edits allowed for them, the org
// connection healthy), their link as the portal shows it (never a token), starting and finishing the
// authorization code flow (crm/connection/oauth-connect.ts), and Disconnect, which revokes their refresh token
// at Salesforce and deletes the link. Every function takes the signed-in user and touches only their own link.
import type { SalesforceAccount } from '../../../contracts/api/salesforce-account.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { findConnection, type ConnectionRow } from '../connection/connection.repository.js'
import { completeUserLink, startUserLink, type UserLinkTokens } from '../connection/oauth-connect.js'
import { userLinkContext } from '../connection/secret-binding.js'
import { deleteUserLink, findUserLink, type UserLinkRow } from '../connection/user-link.repository.js'
import { readPortalContext } from '../opportunities/crm-portal.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { readEditSettings } from './edits.repository.js'
import { assertMayEdit } from './edits.service.js'

/** Why the user may not link an account now, or null when they may. */
async function unavailableReason(
  deps: AppDeps,
  viewer: Viewer,
  connection: ConnectionRow | undefined,
): Promise<string | null> {
  if (!(await readPortalContext(deps.db, viewer.userId)).moduleEnabled) return 'The CRM module is turned off.'
  try {
    assertMayEdit(await readEditSettings(deps.db), viewer)
  } catch (err) {
    if (err instanceof AppError) return err.message
    throw err
  }
  if (!connection || connection.status !== 'healthy')
    return 'Salesforce is not connected right now. Ask an admin to check Module Settings > Setup.'
  return null
}

function toApiLink(link: UserLinkRow): NonNullable<SalesforceAccount['link']> {
  return {
    username: link.username,
    name: link.display_name,
    salesforceUserId: link.salesforce_user_id,
    connectedAt: link.connected_at.toISOString(),
    status: link.status,
    statusReason: link.status_reason,
  }
}

export async function describeSalesforceAccount(deps: AppDeps, viewer: Viewer): Promise<SalesforceAccount> {
  const connection = await findConnection(deps.db)
  const link = connection ? await findUserLink(deps.db, viewer.userId, connection.id) : undefined
  const reason = await unavailableReason(deps, viewer, connection)
  return { available: reason === null, reason, link: link ? toApiLink(link) : null }
}

export async function startSalesforceAccountLink(deps: AppDeps, viewer: Viewer): Promise<string> {
  const connection = await findConnection(deps.db)
  const reason = await unavailableReason(deps, viewer, connection)
  if (reason !== null || !connection)
    throw new AppError('EDITS_DISABLED', reason ?? 'Salesforce is not connected.')
  return startUserLink(deps, viewer.userId, connection)
}

export function completeSalesforceAccountLink(
  deps: AppDeps,
  viewer: Viewer,
  query: Parameters<typeof completeUserLink>[2],
): Promise<{ username: string | null }> {
  return completeUserLink(deps, viewer.userId, query)
}

/**
 * Revokes the refresh token (Salesforce ends the access tokens issued from it too) and deletes the link. A
 * revocation Salesforce does not confirm still deletes the link here; `revoked` says which it was.
 */
export async function disconnectSalesforceAccount(
  deps: AppDeps,
  viewer: Viewer,
): Promise<{ revoked: boolean; account: SalesforceAccount }> {
  const connection = await findConnection(deps.db)
  const link = connection ? await findUserLink(deps.db, viewer.userId, connection.id) : undefined
  let revoked = false
  if (connection && link) {
    try {
      const tokens = JSON.parse(
        deps.secrets.open(link.encrypted_tokens, userLinkContext(link)),
      ) as UserLinkTokens
      await deps.crmProvider.revoke(link.instance_url, tokens.refreshToken)
      revoked = true
    } catch (err) {
      deps.log.warn(
        { userId: viewer.userId, err },
        "revoking a user's Salesforce link failed; deleting it anyway",
      )
    }
    await deps.db.transaction().execute(async (trx) => {
      await deleteUserLink(trx, viewer.userId, connection.id)
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'crm.salesforce_account.disconnected',
        targetType: 'user',
        targetId: viewer.userId,
        details: { salesforceUserId: link.salesforce_user_id, revoked },
      })
    })
  }
  return { revoked, account: await describeSalesforceAccount(deps, viewer) }
}
