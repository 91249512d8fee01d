// SQL of SCIM Groups and their members.
import { sql, type RawBuilder, type SqlBool } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { FilterAttributes } from './scim-filter.repository.js'
import { groupRows } from './grouped.js'

export interface ScimGroupRow {
  id: string
  display_name: string
  external_id: string | null
  created_at: Date
  updated_at: Date
}

/** What a SCIM filter on Groups may name (RFC 7643 §4.2). */
export const GROUP_FILTER_ATTRIBUTES: FilterAttributes = {
  id: { type: 'caseExactString', column: sql`g.id::text` },
  displayname: { type: 'string', column: sql`g.display_name` },
  externalid: { type: 'caseExactString', column: sql`g.external_id` },
  members: {
    type: 'member',
    condition: (userId) =>
      sql<SqlBool>`exists (select 1 from scim_group_members m where m.group_id = g.id and m.user_id::text = ${userId})`,
  },
  'meta.created': { type: 'dateTime', column: sql`g.created_at` },
  'meta.lastmodified': { type: 'dateTime', column: sql`g.updated_at` },
}

export async function listScimGroups(
  db: Db,
  options: { where: RawBuilder<SqlBool> | undefined; offset: number; limit: number },
): Promise<{ total: number; rows: ScimGroupRow[] }> {
  let query = db.selectFrom('scim_groups as g').selectAll('g')
  if (options.where) query = query.where(options.where)
  const total = await db
    .selectFrom(query.as('matching'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const rows =
    options.limit === 0
      ? []
      : await query
          .orderBy('g.created_at')
          .orderBy('g.id')
          .offset(options.offset)
          .limit(options.limit)
          .execute()
  return { total: Number(total.n), rows }
}

export function findScimGroup(db: Db, id: string): Promise<ScimGroupRow | undefined> {
  return db.selectFrom('scim_groups').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findGroupIdByName(db: Db, displayName: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('scim_groups')
    .select('id')
    .where(sql`lower(display_name)`, '=', displayName.toLowerCase())
    .executeTakeFirst()
  return row?.id
}

export async function insertScimGroup(
  db: Db,
  values: { displayName: string; externalId: string | null; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('scim_groups')
    .values({
      display_name: values.displayName,
      external_id: values.externalId,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateScimGroup(
  db: Db,
  id: string,
  values: { displayName: string; externalId: string | null; now: Date },
): Promise<void> {
  await db
    .updateTable('scim_groups')
    .set({ display_name: values.displayName, external_id: values.externalId, updated_at: values.now })
    .where('id', '=', id)
    .execute()
}

export async function deleteScimGroup(db: Db, id: string): Promise<void> {
  await db.deleteFrom('scim_groups').where('id', '=', id).execute()
}

/** Members of each group, with their names for `display`. */
export async function membersOfGroups(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, Array<{ id: string; name: string }>>> {
  if (groupIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('scim_group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.group_id', 'u.id', 'u.name'])
    .where('m.group_id', 'in', [...groupIds])
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
  return groupRows(
    rows,
    (row) => row.group_id,
    (row) => ({ id: row.id, name: row.name }),
  )
}

/** The ids among `userIds` that are users the provider may name (not deleted by it). */
export async function knownUserIds(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('scim_users as s', 's.user_id', 'u.id')
    .select('u.id')
    .where('u.id', 'in', [...userIds])
    .where('s.deleted_at', 'is', null)
    .execute()
  return new Set(rows.map((row) => row.id))
}

export async function setGroupMembers(
  db: Db,
  groupId: string,
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<void> {
  if (change.remove.length > 0) {
    await db
      .deleteFrom('scim_group_members')
      .where('group_id', '=', groupId)
      .where('user_id', 'in', [...change.remove])
      .execute()
  }
  if (change.add.length > 0) {
    await db
      .insertInto('scim_group_members')
      .values(change.add.map((userId) => ({ group_id: groupId, user_id: userId })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/** Whether the user is in a SCIM group of this name (the admin group). */
export async function isInNamedGroup(db: Db, userId: string, displayName: string): Promise<boolean> {
  const row = await db
    .selectFrom('scim_group_members as m')
    .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
    .select('m.user_id')
    .where('m.user_id', '=', userId)
    .where(sql`lower(g.display_name)`, '=', displayName.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}
