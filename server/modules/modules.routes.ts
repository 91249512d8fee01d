import * as api from '../../contracts/api/modules.api.js'
import { recordAuditEvent } from '../audit/audit.repository.js'
import type { AppDeps } from '../deps.js'
import type { Route } from '../http/route.js'
import { isModuleEnabled, setModuleEnabledRow } from './modules.repository.js'

const CRM_NAME = 'CRM (Salesforce Opportunities)'

export function registerModuleRoutes(route: Route, deps: AppDeps): void {
  route(api.listModules, async () => ({
    modules: [{ id: 'crm' as const, name: CRM_NAME, enabled: await isModuleEnabled(deps.db, 'crm') }],
  }))

  route(api.setModuleEnabled, async ({ params, body, user }) => {
    const enabled = await deps.db.transaction().execute(async (trx) => {
      const value = await setModuleEnabledRow(trx, params.id, body.enabled, deps.clock.now())
      await recordAuditEvent(trx, {
        actorUserId: user.id,
        action: body.enabled ? 'module.enabled' : 'module.disabled',
        targetType: 'module',
        targetId: params.id,
      })
      return value
    })
    return { module: { id: params.id, name: CRM_NAME, enabled } }
  })
}
