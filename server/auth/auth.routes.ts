import * as api from '../../contracts/api/auth.api.js'
import type { AppDeps } from '../deps.js'
import { clearSessionCookie, setSessionCookie, type Route } from '../http/route.js'
import { login, logout, type OpenedSession } from './auth.service.js'
import { completeFirstRunSetup, isSetupRequired } from './first-run.service.js'
import { resetPassword } from './password-reset.js'

function sessionBody(session: OpenedSession): api.Session {
  return { user: session.user, csrfToken: session.csrfToken, setupRequired: false }
}

export function registerAuthRoutes(route: Route, deps: AppDeps): void {
  route(api.getSession, async ({ auth, request, reply }) => {
    if (auth.status === 'expired') clearSessionCookie(request, reply)
    const setupRequired = await isSetupRequired(deps)
    if (auth.status !== 'signed-in') return { user: null, csrfToken: null, setupRequired }
    return { user: auth.user, csrfToken: auth.csrfToken, setupRequired }
  })

  route(api.login, async ({ body, client, request, reply }) => {
    const session = await login(deps, body, client)
    setSessionCookie(request, reply, session)
    return sessionBody(session)
  })

  route(api.logout, async ({ auth, request, reply }) => {
    if (auth.status === 'signed-in') await logout(deps, auth.tokenHash)
    clearSessionCookie(request, reply)
  })

  route(api.completeSetup, async ({ body, client, request, reply }) => {
    const session = await completeFirstRunSetup(deps, body, client)
    request.log.info(
      { userId: session.user.id },
      'first-run setup completed; the setup link is no longer valid',
    )
    setSessionCookie(request, reply, session)
    return sessionBody(session)
  })

  route(api.resetPassword, async ({ body }) => {
    await resetPassword(deps, body)
  })
}
