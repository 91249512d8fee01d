// Control API, part 2 (not Salesforce's; prefix /__emulator): who can sign in. Adds and changes users (password,
// security token, active, API enabled, the profile's "Read" on Opportunity, edit access to opportunities) and connected apps (consumer key and
// secret, enabled flows, run-as user, "not active yet" period, auto-approve, refresh token rotation).
import { randomBytes } from 'node:crypto'

import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

import { sendJson } from '../http/errors.js'
import type { ConnectedApp, EmulatedUser } from '../org/auth-state.js'
import type { Org } from '../org/org.js'

const FLOWS = z.array(z.enum(['password', 'client_credentials', 'authorization_code', 'refresh_token']))

const UserChanges = z.object({
  password: z.string().min(1).optional(),
  securityToken: z.string().optional(),
  active: z.boolean().optional(),
  apiEnabled: z.boolean().optional(),
  canReadOpportunities: z.boolean().optional(),
  canEditOpportunities: z.boolean().optional(),
})

const NewUser = UserChanges.extend({
  username: z.string().min(3),
  firstName: z.string().optional(),
  lastName: z.string().min(1).default('User'),
  email: z.string().optional(),
})

const AppChanges = z.object({
  consumerSecret: z.string().min(8).optional(),
  flows: FLOWS.optional(),
  /** Username of the client credentials flow's "Run As" user; null removes it. */
  runAsUsername: z.string().nullable().optional(),
  /** The app starts working this many ms from now (Salesforce: up to 10 minutes after a change). */
  activeAfterMs: z.number().int().min(0).optional(),
  autoApprove: z.boolean().optional(),
  rotateRefreshTokens: z.boolean().optional(),
})

const NewApp = AppChanges.extend({ consumerKey: z.string().min(8).optional() })

const token = (bytes: number) => randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x')

function userView(user: EmulatedUser) {
  return {
    id: user.id,
    username: user.username,
    password: user.password,
    securityToken: user.securityToken,
    active: user.isActive,
    apiEnabled: user.apiEnabled,
    canReadOpportunities: user.canReadOpportunities,
    canEditOpportunities: user.canEditOpportunities,
  }
}

function appView(app: ConnectedApp) {
  return {
    consumerKey: app.consumerKey,
    consumerSecret: app.consumerSecret,
    flows: [...app.flows],
    runAsUserId: app.runAsUserId,
    activeAfter: new Date(app.activeAfter).toISOString(),
    autoApprove: app.autoApprove,
    rotateRefreshTokens: app.rotateRefreshTokens,
  }
}

export function registerControlOrgRoutes(app: FastifyInstance, org: Org, prefix: string): void {
  const findUser = (idOrUsername: string) =>
    org.auth.users.get(idOrUsername) ?? org.auth.findUserByUsername(idOrUsername)

  const applyUser = (user: EmulatedUser, changes: z.infer<typeof UserChanges>) => {
    if (changes.password !== undefined) user.password = changes.password
    if (changes.securityToken !== undefined) user.securityToken = changes.securityToken
    if (changes.apiEnabled !== undefined) user.apiEnabled = changes.apiEnabled
    if (changes.canReadOpportunities !== undefined) user.canReadOpportunities = changes.canReadOpportunities
    if (changes.canEditOpportunities !== undefined) user.canEditOpportunities = changes.canEditOpportunities
    if (changes.active !== undefined && changes.active !== user.isActive) {
      user.isActive = changes.active
      org.records.update('User', user.id, { IsActive: changes.active }, org.integrationUserId)
    }
  }

  const applyApp = (connectedApp: ConnectedApp, changes: z.infer<typeof AppChanges>): string | undefined => {
    if (changes.runAsUsername !== undefined) {
      const runAs = changes.runAsUsername === null ? null : findUser(changes.runAsUsername)
      if (runAs === undefined) return `no user ${changes.runAsUsername}`
      connectedApp.runAsUserId = runAs?.id ?? null
    }
    if (changes.consumerSecret !== undefined) connectedApp.consumerSecret = changes.consumerSecret
    if (changes.flows !== undefined) connectedApp.flows = new Set(changes.flows)
    if (changes.activeAfterMs !== undefined) connectedApp.activeAfter = org.now() + changes.activeAfterMs
    if (changes.autoApprove !== undefined) connectedApp.autoApprove = changes.autoApprove
    if (changes.rotateRefreshTokens !== undefined)
      connectedApp.rotateRefreshTokens = changes.rotateRefreshTokens
    return undefined
  }

  app.get(`${prefix}/users`, async (_request, reply) =>
    sendJson(reply, 200, { users: [...org.auth.users.values()].map(userView) }),
  )

  app.post(`${prefix}/users`, async (request, reply) => {
    const body = NewUser.parse(request.body ?? {})
    if (org.auth.findUserByUsername(body.username))
      return sendJson(reply, 409, { error: `username ${body.username} is taken` })
    const email = body.email ?? body.username
    const record = org.records.insert(
      'User',
      {
        Username: body.username,
        FirstName: body.firstName ?? null,
        LastName: body.lastName,
        Email: email,
        Alias: body.username.slice(0, 8),
        IsActive: body.active ?? true,
        UserType: 'Standard',
      },
      org.integrationUserId,
    )
    const user: EmulatedUser = {
      id: String(record['Id']),
      username: body.username,
      password: body.password ?? `Pass-${token(6)}`,
      securityToken: body.securityToken ?? token(18),
      isActive: body.active ?? true,
      apiEnabled: body.apiEnabled ?? true,
      canReadOpportunities: body.canReadOpportunities ?? true,
      canEditOpportunities: body.canEditOpportunities ?? true,
    }
    org.auth.users.set(user.id, user)
    return sendJson(reply, 201, userView(user))
  })

  app.patch(`${prefix}/users/:user`, async (request, reply) => {
    const user = findUser((request.params as { user: string }).user)
    if (!user) return sendJson(reply, 404, { error: 'no such user' })
    applyUser(user, UserChanges.parse(request.body ?? {}))
    return sendJson(reply, 200, userView(user))
  })

  app.get(`${prefix}/apps`, async (_request, reply) =>
    sendJson(reply, 200, { apps: [...org.auth.apps.values()].map(appView) }),
  )

  app.post(`${prefix}/apps`, async (request, reply) => {
    const body = NewApp.parse(request.body ?? {})
    const consumerKey = body.consumerKey ?? `3MVG9${token(60)}`
    if (org.auth.apps.has(consumerKey)) return sendJson(reply, 409, { error: 'consumer key is taken' })
    const connectedApp: ConnectedApp = {
      consumerKey,
      consumerSecret: token(32).toUpperCase(),
      flows: new Set(['password', 'client_credentials', 'authorization_code', 'refresh_token']),
      runAsUserId: null,
      activeAfter: 0,
      rotateRefreshTokens: false,
      autoApprove: false,
    }
    const error = applyApp(connectedApp, body)
    if (error) return sendJson(reply, 400, { error })
    org.auth.apps.set(consumerKey, connectedApp)
    return sendJson(reply, 201, appView(connectedApp))
  })

  app.patch(`${prefix}/apps/:consumerKey`, async (request, reply) => {
    const connectedApp = org.auth.apps.get((request.params as { consumerKey: string }).consumerKey)
    if (!connectedApp) return sendJson(reply, 404, { error: 'no such app' })
    const error = applyApp(connectedApp, AppChanges.parse(request.body ?? {}))
    if (error) return sendJson(reply, 400, { error })
    return sendJson(reply, 200, appView(connectedApp))
  })
}
