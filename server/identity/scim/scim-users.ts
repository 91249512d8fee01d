// SCIM Users (RFC 7644 §3): list with filter and paging, get, create, replace (PUT, as Okta's custom apps
// update), patch (as Okta's catalogue apps and Entra ID update), delete. Every change is one transaction
// and audited; the provider's deactivation ends the user's sessions at once.
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import {
  findUserById,
  insertUser,
  isDuplicateEmailError,
  updateUserRow,
  type UserRow,
} from '../../users/users.repository.js'
import { deactivationBlocker, setActivation } from '../user-lifecycle.js'
import { scimError } from './scim-error.js'
import { filterToSql } from './scim-filter.repository.js'
import { normalisePatch, normaliseResource } from './scim-quirks.js'
import { applyPatch, validateResource, type ScimJson } from './scim-schemas.js'
import { fromScimUser, toScimUser, type UserInput } from './scim-user-resource.js'
import {
  findHolders,
  findScimUser,
  groupsOfUsers,
  listScimUsers,
  markScimUserDeleted,
  upsertScimUserRow,
  USER_FILTER_ATTRIBUTES,
  type ScimUserRow,
} from './scim-users.repository.js'

export interface ScimContext {
  deps: AppDeps
  tokenId: string
  baseUrl: string
}

export interface Page {
  filter: string | undefined
  startIndex: number
  count: number
}

export async function listUsers(
  ctx: ScimContext,
  page: Page,
): Promise<{ total: number; resources: ScimJson[] }> {
  const where = page.filter ? filterToSql(page.filter, USER_FILTER_ATTRIBUTES) : undefined
  const { total, rows } = await listScimUsers(ctx.deps.db, {
    where,
    offset: page.startIndex - 1,
    limit: page.count,
  })
  return { total, resources: await present(ctx, ctx.deps.db, rows) }
}

export async function getUser(ctx: ScimContext, id: string): Promise<ScimJson> {
  return present1(ctx, ctx.deps.db, await requireUser(ctx.deps.db, id))
}

export async function createUser(ctx: ScimContext, body: unknown): Promise<ScimJson> {
  const input = fromScimUser(validateResource('User', normaliseResource(body), 'in'))
  return write(ctx, async (trx) => {
    const holders = await findHolders(trx, input)
    const live = holders.filter((holder) => !holder.deleted)
    if (live.length > 0) {
      throw scimError(409, 'uniqueness', `A user with userName or email "${input.userName}" already exists.`)
    }
    const now = ctx.deps.clock.now()
    const revived = holders[0] ? await findUserById(trx, holders[0].id) : undefined
    const user =
      revived ??
      (await insertUser(trx, {
        name: input.displayName,
        email: input.email,
        role: 'member',
        password_hash: null,
      }))
    await upsertScimUserRow(trx, {
      userId: user.id,
      userName: input.userName,
      externalId: input.externalId,
      attributes: input.attributes,
      now,
    })
    await audit(trx, ctx, revived ? 'scim.user.reprovisioned' : 'scim.user.created', user.id, {
      userName: input.userName,
      externalId: input.externalId,
    })
    await applyUser(trx, ctx, user, { ...input, active: input.active ?? true })
    return user.id
  })
}

export async function replaceUser(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson> {
  const input = fromScimUser(validateResource('User', normaliseResource(body), 'in'))
  return write(ctx, async (trx) => {
    const existing = await requireUser(trx, id)
    await saveUser(trx, ctx, existing, input)
    return id
  })
}

export async function patchUser(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson> {
  return write(ctx, async (trx) => {
    const existing = await requireUser(trx, id)
    const current = toScimUser(existing, [], ctx.baseUrl)
    delete current['groups']
    const patched = await applyPatch('User', current, normalisePatch(body))
    await saveUser(trx, ctx, existing, fromScimUser(patched))
    return id
  })
}

export async function deleteUser(ctx: ScimContext, id: string): Promise<void> {
  await write(ctx, async (trx) => {
    const existing = await requireUser(trx, id)
    const user = await requireAccount(trx, id)
    const blocker = await deactivationBlocker(trx, user)
    if (blocker) throw scimError(400, 'mutability', blocker)
    await setActivation(ctx.deps, trx, user, false, { via: 'scim', tokenId: ctx.tokenId })
    await markScimUserDeleted(trx, id, ctx.deps.clock.now())
    await audit(trx, ctx, 'scim.user.deleted', id, { userName: existing.user_name })
    return id
  })
}

async function saveUser(trx: Db, ctx: ScimContext, existing: ScimUserRow, input: UserInput): Promise<void> {
  const holders = await findHolders(trx, input)
  if (holders.some((holder) => holder.id !== existing.id && !holder.deleted)) {
    throw scimError(409, 'uniqueness', `Another user already has userName or email "${input.userName}".`)
  }
  const now = ctx.deps.clock.now()
  await upsertScimUserRow(trx, {
    userId: existing.id,
    userName: input.userName,
    externalId: input.externalId,
    attributes: input.attributes,
    now,
  })
  const changed = ['userName', 'externalId'].filter((key) =>
    key === 'userName' ? existing.user_name !== input.userName : existing.external_id !== input.externalId,
  )
  if (changed.length > 0) await audit(trx, ctx, 'scim.user.updated', existing.id, { changed })
  await applyUser(trx, ctx, await requireAccount(trx, existing.id), input)
}

// The columns the app uses, and the activation (with its effects), from what the provider sent.
async function applyUser(trx: Db, ctx: ScimContext, user: UserRow, input: UserInput): Promise<void> {
  const changes = {
    ...(user.name !== input.displayName ? { name: input.displayName } : {}),
    ...(user.email !== input.email ? { email: input.email } : {}),
  }
  if (Object.keys(changes).length > 0) {
    await updateUserRow(trx, user.id, changes)
    await audit(trx, ctx, 'user.updated', user.id, changes)
  }
  if (input.active === undefined || input.active === user.is_active) return
  if (!input.active) {
    const blocker = await deactivationBlocker(trx, user)
    if (blocker) throw scimError(400, 'mutability', blocker)
  }
  await setActivation(ctx.deps, trx, user, input.active, { via: 'scim', tokenId: ctx.tokenId })
}

// Runs a change in one transaction and answers with the user as stored; the read cache of this process
// forgets sessions and answers at once (other processes hear it from the change feed).
async function write(ctx: ScimContext, change: (trx: Db) => Promise<string>): Promise<ScimJson> {
  let id: string
  try {
    id = await ctx.deps.db.transaction().execute(change)
  } catch (err) {
    if (isDuplicateEmailError(err)) throw scimError(409, 'uniqueness', 'Another user already has this email.')
    throw err
  } finally {
    ctx.deps.readCache.invalidate('*')
  }
  const row = await findScimUser(ctx.deps.db, id)
  return row ? present1(ctx, ctx.deps.db, row) : {}
}

async function requireUser(db: Db, id: string): Promise<ScimUserRow> {
  const row = isUuid(id) ? await findScimUser(db, id) : undefined
  if (!row) throw scimError(404, null, `User ${id} not found.`)
  return row
}

async function requireAccount(db: Db, id: string): Promise<UserRow> {
  const user = await findUserById(db, id)
  if (!user) throw scimError(404, null, `User ${id} not found.`)
  return user
}

async function present(ctx: ScimContext, db: Db, rows: ScimUserRow[]): Promise<ScimJson[]> {
  const groups = await groupsOfUsers(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => toScimUser(row, groups.get(row.id) ?? [], ctx.baseUrl))
}

async function present1(ctx: ScimContext, db: Db, row: ScimUserRow): Promise<ScimJson> {
  const [resource] = await present(ctx, db, [row])
  return resource ?? {}
}

function audit(trx: Db, ctx: ScimContext, action: string, userId: string, details: Record<string, unknown>) {
  return recordAuditEvent(trx, {
    actorUserId: null,
    action,
    targetType: 'user',
    targetId: userId,
    details: { ...details, via: 'scim', tokenId: ctx.tokenId },
  })
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
}
