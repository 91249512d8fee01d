import * as api from '../../../contracts/api/identity.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import { createScimToken, listScimTokens, revokeScimToken, scimBaseUrl } from './scim-tokens.service.js'

export function registerScimTokenRoutes(route: Route, deps: AppDeps): void {
  route(api.listScimTokens, async () => ({ baseUrl: scimBaseUrl(deps), tokens: await listScimTokens(deps) }))
  route(api.createScimToken, async ({ body, user }) => createScimToken(deps, user.id, body.name))
  route(api.revokeScimToken, async ({ params, user }) => ({
    scimToken: await revokeScimToken(deps, user.id, params.id),
  }))
}
