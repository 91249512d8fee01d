// SCIM Groups (RFC 7644 §3): Entra ID creates a group with no members and adds them by PATCH; Okta pushes
// groups with PATCH add/remove of members (and PUT for some apps). Membership of the admin group (Identity
// settings) makes a user a network admin; leaving it makes them a member again (identity/group-roles.ts).
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { Db } from '../../storage/open-database.js'
import { applyGroupRole } from '../group-roles.js'
import { findOidcSettings } from '../oidc/oidc.repository.js'
import { scimError } from './scim-error.js'
import { filterToSql } from './scim-filter.repository.js'
import { normalisePatch } from './scim-quirks.js'
import {
  deleteScimGroup,
  findGroupIdByName,
  findScimGroup,
  GROUP_FILTER_ATTRIBUTES,
  insertScimGroup,
  isInNamedGroup,
  knownUserIds,
  listScimGroups,
  membersOfGroups,
  setGroupMembers,
  updateScimGroup,
  type ScimGroupRow,
} from './scim-groups.repository.js'
import { applyPatch, GROUP_SCHEMA, validateResource, type ScimJson } from './scim-schemas.js'
import { isUuid, type Page, type ScimContext } from './scim-users.js'

interface GroupInput {
  displayName: string
  externalId: string | null
  memberIds: string[]
}

export async function listGroups(
  ctx: ScimContext,
  page: Page,
  options: { withMembers: boolean },
): Promise<{ total: number; resources: ScimJson[] }> {
  const where = page.filter ? filterToSql(page.filter, GROUP_FILTER_ATTRIBUTES) : undefined
  const { total, rows } = await listScimGroups(ctx.deps.db, {
    where,
    offset: page.startIndex - 1,
    limit: page.count,
  })
  return { total, resources: await present(ctx, ctx.deps.db, rows, options.withMembers) }
}

export async function getGroup(
  ctx: ScimContext,
  id: string,
  options: { withMembers: boolean },
): Promise<ScimJson> {
  const [resource] = await present(
    ctx,
    ctx.deps.db,
    [await requireGroup(ctx.deps.db, id)],
    options.withMembers,
  )
  return resource ?? {}
}

export async function createGroup(ctx: ScimContext, body: unknown): Promise<ScimJson> {
  const input = fromScimGroup(validateResource('Group', body, 'in'))
  return write(ctx, async (trx) => {
    if (await findGroupIdByName(trx, input.displayName)) {
      throw scimError(409, 'uniqueness', `A group named "${input.displayName}" already exists.`)
    }
    const id = await insertScimGroup(trx, { ...input, now: ctx.deps.clock.now() })
    await audit(trx, ctx, 'scim.group.created', id, { displayName: input.displayName })
    await changeMembers(trx, ctx, { id, display_name: input.displayName }, [], input.memberIds)
    return id
  })
}

export async function replaceGroup(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson> {
  const input = fromScimGroup(validateResource('Group', body, 'in'))
  return write(ctx, async (trx) => save(trx, ctx, await requireGroup(trx, id), input))
}

export async function patchGroup(ctx: ScimContext, id: string, body: unknown): Promise<ScimJson> {
  return write(ctx, async (trx) => {
    const group = await requireGroup(trx, id)
    const [current] = await present(ctx, trx, [group], true)
    const patched = await applyPatch('Group', current ?? {}, normalisePatch(body))
    return save(trx, ctx, group, fromScimGroup(patched))
  })
}

export async function deleteGroup(ctx: ScimContext, id: string): Promise<void> {
  await write(ctx, async (trx) => {
    const group = await requireGroup(trx, id)
    const members = (await membersOfGroups(trx, [id])).get(id) ?? []
    await deleteScimGroup(trx, id)
    await audit(trx, ctx, 'scim.group.deleted', id, {
      displayName: group.display_name,
      members: members.length,
    })
    await applyAdminGroup(
      trx,
      members.map((member) => member.id),
    )
    return id
  })
}

async function save(trx: Db, ctx: ScimContext, group: ScimGroupRow, input: GroupInput): Promise<string> {
  const clash = await findGroupIdByName(trx, input.displayName)
  if (clash && clash !== group.id) {
    throw scimError(409, 'uniqueness', `A group named "${input.displayName}" already exists.`)
  }
  await updateScimGroup(trx, group.id, { ...input, now: ctx.deps.clock.now() })
  if (group.display_name !== input.displayName || group.external_id !== input.externalId) {
    await audit(trx, ctx, 'scim.group.updated', group.id, {
      displayName: { from: group.display_name, to: input.displayName },
    })
  }
  const before = ((await membersOfGroups(trx, [group.id])).get(group.id) ?? []).map((member) => member.id)
  await changeMembers(trx, ctx, { id: group.id, display_name: input.displayName }, before, input.memberIds)
  // A rename can make this the admin group or stop it being one.
  if (group.display_name !== input.displayName) await applyAdminGroup(trx, before)
  return group.id
}

async function changeMembers(
  trx: Db,
  ctx: ScimContext,
  group: { id: string; display_name: string },
  before: readonly string[],
  after: readonly string[],
): Promise<void> {
  const wanted = new Set(after)
  const known = await knownUserIds(trx, [...wanted])
  const unknown = [...wanted].filter((id) => !known.has(id))
  if (unknown.length > 0) {
    throw scimError(400, 'invalidValue', `members: no user with id ${unknown.slice(0, 5).join(', ')}.`)
  }
  const had = new Set(before)
  const add = [...wanted].filter((id) => !had.has(id))
  const remove = before.filter((id) => !wanted.has(id))
  if (add.length === 0 && remove.length === 0) return
  await setGroupMembers(trx, group.id, { add, remove })
  await audit(trx, ctx, 'scim.group.members_changed', group.id, {
    displayName: group.display_name,
    // Ids of up to 50 users each way; the counts are exact.
    added: add.slice(0, 50),
    removed: remove.slice(0, 50),
    addedCount: add.length,
    removedCount: remove.length,
  })
  await applyAdminGroup(trx, [...add, ...remove])
}

/** Re-applies the admin group to these users, from their SCIM groups as they are now. */
async function applyAdminGroup(trx: Db, userIds: readonly string[]): Promise<void> {
  const settings = await findOidcSettings(trx)
  const adminGroup = settings?.admin_group
  if (!adminGroup) return
  for (const userId of userIds) {
    await applyGroupRole(trx, {
      userId,
      isAdminGroupMember: await isInNamedGroup(trx, userId, adminGroup),
      breakGlassUserId: settings.break_glass_user_id,
      via: 'scim',
    })
  }
}

function fromScimGroup(resource: ScimJson): GroupInput {
  const displayName = typeof resource['displayName'] === 'string' ? resource['displayName'].trim() : ''
  if (!displayName) throw scimError(400, 'invalidValue', 'displayName is required and must not be empty.')
  const members = Array.isArray(resource['members']) ? (resource['members'] as ScimJson[]) : []
  const memberIds = members.map((member) => (typeof member['value'] === 'string' ? member['value'] : ''))
  const malformed = memberIds.filter((id) => !isUuid(id))
  if (malformed.length > 0) {
    throw scimError(400, 'invalidValue', `members: "${malformed[0]}" is not a user id of this service.`)
  }
  return {
    displayName: displayName.slice(0, 200),
    externalId:
      typeof resource['externalId'] === 'string' && resource['externalId'] ? resource['externalId'] : null,
    memberIds: [...new Set(memberIds)],
  }
}

async function present(
  ctx: ScimContext,
  db: Db,
  rows: ScimGroupRow[],
  withMembers: boolean,
): Promise<ScimJson[]> {
  const ids = rows.map((row) => row.id)
  const members = withMembers
    ? await membersOfGroups(db, ids)
    : new Map<string, Array<{ id: string; name: string }>>()
  return rows.map((row) => ({
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    displayName: row.display_name,
    ...(withMembers
      ? {
          members: (members.get(row.id) ?? []).map((member) => ({
            value: member.id,
            display: member.name,
            $ref: `${ctx.baseUrl}/Users/${member.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${ctx.baseUrl}/Groups/${row.id}`,
    },
  }))
}

async function write(ctx: ScimContext, change: (trx: Db) => Promise<string>): Promise<ScimJson> {
  let id: string
  try {
    id = await ctx.deps.db.transaction().execute(change)
  } finally {
    ctx.deps.readCache.invalidate('*')
  }
  return getGroup(ctx, id, { withMembers: true }).catch(() => ({}))
}

async function requireGroup(db: Db, id: string): Promise<ScimGroupRow> {
  const row = isUuid(id) ? await findScimGroup(db, id) : undefined
  if (!row) throw scimError(404, null, `Group ${id} not found.`)
  return row
}

function audit(trx: Db, ctx: ScimContext, action: string, groupId: string, details: Record<string, unknown>) {
  return recordAuditEvent(trx, {
    actorUserId: null,
    action,
    targetType: 'scim_group',
    targetId: groupId,
    details: { ...details, via: 'scim', tokenId: ctx.tokenId },
  })
}
