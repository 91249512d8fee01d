// "Connect my Salesforce account": handlers only translate HTTP; salesforce-account.service.ts decides.
import * as api from '../../../contracts/api/salesforce-account.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { Route } from '../../http/route.js'
import { isSalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import {
  completeSalesforceAccountLink,
  describeSalesforceAccount,
  disconnectSalesforceAccount,
  startSalesforceAccountLink,
} from './salesforce-account.service.js'

export function registerSalesforceAccountRoutes(route: Route, deps: AppDeps): void {
  const viewer = (user: { id: string; role: string }) => ({ userId: user.id, isAdmin: user.role === 'admin' })

  route(api.getSalesforceAccount, ({ user }) => describeSalesforceAccount(deps, viewer(user)))

  route(api.startSalesforceAccountLink, async ({ user }) => ({
    authorizeUrl: await startSalesforceAccountLink(deps, viewer(user)),
  }))

  route(api.completeSalesforceAccountLink, async ({ query, user, reply }) => {
    let target: string
    try {
      await completeSalesforceAccountLink(deps, viewer(user), query)
      target = `${api.SALESFORCE_ACCOUNT_PAGE}?salesforceAccount=connected`
    } catch (err) {
      const known = err instanceof AppError || isSalesforceError(err)
      if (!known) deps.log.error({ err }, 'connecting a Salesforce account failed')
      const message = known ? err.message : 'Connecting your Salesforce account failed.'
      target = `${api.SALESFORCE_ACCOUNT_PAGE}?salesforceAccountError=${encodeURIComponent(message)}`
    }
    return reply.redirect(target, 303)
  })

  route(api.disconnectSalesforceAccount, ({ user }) => disconnectSalesforceAccount(deps, viewer(user)))
}
