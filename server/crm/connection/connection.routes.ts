import * as api from '../../../contracts/api/crm-connection.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { Route } from '../../http/route.js'
import { isSalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import {
  describeConnection,
  disconnectConnection,
  saveConnectionSettings,
  testConnectionSettings,
} from './connection.service.js'
import {
  completeOAuthConnect,
  oauthCallbackUrl,
  startOAuthConnect,
  userLinkCallbackUrl,
} from './oauth-connect.js'

const SETUP_PAGE = '/admin/modules/crm'

export function registerConnectionRoutes(
  route: Route,
  deps: AppDeps,
  hooks: { onSaved(connectionId: string): void },
): void {
  route(api.getConnection, async () => ({
    connection: await describeConnection(deps),
    oauthCallbackUrl: oauthCallbackUrl(deps),
    userLinkCallbackUrl: userLinkCallbackUrl(deps),
  }))

  route(api.testConnection, async ({ body, user }) => testConnectionSettings(deps, user.id, body))

  route(api.saveConnection, async ({ body, user }) => {
    const result = await saveConnectionSettings(deps, user.id, body)
    if (result.saved && result.connection) hooks.onSaved(result.connection.id)
    return result
  })

  route(api.disconnect, async ({ user }) => disconnectConnection(deps, user.id))

  route(api.startOAuthConnect, async ({ body, user }) => {
    try {
      return { authorizeUrl: await startOAuthConnect(deps, user.id, body) }
    } catch (err) {
      if (isSalesforceError(err))
        throw new AppError('VALIDATION_FAILED', err.message, { webServicesUrl: err.hint })
      throw err
    }
  })

  route(api.completeOAuthConnect, async ({ query, user, reply }) => {
    let target: string
    try {
      const result = await completeOAuthConnect(deps, user.id, query)
      if (result.saved && result.connection) hooks.onSaved(result.connection.id)
      const failed = result.report.checks.find((check) => check.status === 'failed')
      target = result.saved
        ? `${SETUP_PAGE}?connected=1`
        : `${SETUP_PAGE}?oauthError=${encodeURIComponent(failed?.message ?? 'Test Connection failed.')}`
    } catch (err) {
      const message = err instanceof AppError || isSalesforceError(err) ? err.message : 'Connecting failed.'
      if (!(err instanceof AppError) && !isSalesforceError(err))
        deps.log.error({ err }, 'OAuth connect failed')
      target = `${SETUP_PAGE}?oauthError=${encodeURIComponent(message)}`
    }
    return reply.redirect(target, 303)
  })
}
