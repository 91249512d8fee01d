// Portal edits: the PATCH of an opportunity and what the editor may change. Handlers only translate HTTP;
// edits.service.ts decides.
import * as api from '../../../contracts/api/edits.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { readEditOptions } from './edit-options.js'
import { readEditSettingsForAdmin, saveEditSettings } from './edit-settings.js'
import { editOpportunity } from './edits.service.js'

export function registerEditRoutes(route: Route, deps: AppDeps): void {
  route(api.editOpportunity, ({ params, body, user }) =>
    editOpportunity(
      deps,
      { userId: user.id, isAdmin: user.role === 'admin', name: user.name },
      params.id,
      body,
    ),
  )

  route(api.getEditOptions, ({ user }) =>
    readEditOptions(deps, { userId: user.id, isAdmin: user.role === 'admin' }),
  )

  route(api.getEditSettings, () => readEditSettingsForAdmin(deps))

  route(api.updateEditSettings, ({ body, user }) => saveEditSettings(deps, user.id, body))
}
