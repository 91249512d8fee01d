import * as api from '../../contracts/api/users.api.js'
import type { AppDeps } from '../deps.js'
import type { Route } from '../http/route.js'
import { listUsers, toApiUser } from '../users/users.repository.js'
import { createUser, issuePasswordResetLink, updateUser } from './user-admin.service.js'

export function registerUserRoutes(route: Route, deps: AppDeps): void {
  route(api.listUsers, async ({ query }) => {
    const rows = await listUsers(deps.db, {
      search: query.search,
      includeInactive: query.includeInactive !== 'false',
    })
    return { users: rows.map(toApiUser) }
  })

  route(api.createUser, async ({ body, user }) => {
    const created = await createUser(deps, user.id, body)
    return { user: toApiUser(created.user), passwordLink: created.passwordLink }
  })

  route(api.updateUser, async ({ params, body, user }) => {
    return { user: toApiUser(await updateUser(deps, user.id, params.id, body)) }
  })

  route(api.issuePasswordResetLink, async ({ params, user }) =>
    issuePasswordResetLink(deps, user.id, params.id),
  )
}
