// SQL of SCIM Users: every workspace user is a SCIM User (userName defaults to the email, so the identity
// provider can match accounts that existed before provisioning), except those the provider deleted.
import { sql, type RawBuilder, type SqlBool } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { FilterAttributes } from './scim-filter.repository.js'
import { groupRows } from './grouped.js'

export interface ScimUserRow {
  id: string
  name: string
  email: string
  role: 'admin' | 'member'
  is_active: boolean
  created_at: Date
  updated_at: Date
  user_name: string
  external_id: string | null
  attributes: Record<string, unknown>
  is_provisioned: boolean
}

const USER_NAME = sql`coalesce(s.user_name, u.email)`

/** What a SCIM filter on Users may name (RFC 7643 §4.1), and the column each one reads. */
export const USER_FILTER_ATTRIBUTES: FilterAttributes = {
  id: { type: 'caseExactString', column: sql`u.id::text` },
  username: { type: 'string', column: USER_NAME },
  externalid: { type: 'caseExactString', column: sql`s.external_id` },
  displayname: { type: 'string', column: sql`u.name` },
  active: { type: 'boolean', column: sql`u.is_active` },
  emails: { type: 'string', column: sql`u.email` },
  'emails.value': { type: 'string', column: sql`u.email` },
  'emails.type': { type: 'constant', value: 'work' },
  'name.givenname': { type: 'string', column: sql`s.attributes -> 'name' ->> 'givenName'` },
  'name.familyname': { type: 'string', column: sql`s.attributes -> 'name' ->> 'familyName'` },
  'meta.created': { type: 'dateTime', column: sql`u.created_at` },
  'meta.lastmodified': { type: 'dateTime', column: sql`greatest(u.updated_at, s.updated_at)` },
}

function selectUsers(db: Db) {
  return db
    .selectFrom('users as u')
    .leftJoin('scim_users as s', 's.user_id', 'u.id')
    .select([
      'u.id',
      'u.name',
      'u.email',
      'u.role',
      'u.is_active',
      'u.created_at',
      sql<Date>`greatest(u.updated_at, s.updated_at)`.as('updated_at'),
      sql<string>`${USER_NAME}`.as('user_name'),
      's.external_id',
      sql<Record<string, unknown>>`coalesce(s.attributes, '{}'::jsonb)`.as('attributes'),
      sql<boolean>`s.user_id is not null`.as('is_provisioned'),
    ])
    .where('s.deleted_at', 'is', null)
}

export async function listScimUsers(
  db: Db,
  options: { where: RawBuilder<SqlBool> | undefined; offset: number; limit: number },
): Promise<{ total: number; rows: ScimUserRow[] }> {
  let query = selectUsers(db)
  if (options.where) query = query.where(options.where)
  const total = await db
    .selectFrom(query.as('matching'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const rows =
    options.limit === 0
      ? []
      : await query
          .orderBy('u.created_at')
          .orderBy('u.id')
          .offset(options.offset)
          .limit(options.limit)
          .execute()
  return { total: Number(total.n), rows }
}

export function findScimUser(db: Db, id: string): Promise<ScimUserRow | undefined> {
  return selectUsers(db).where('u.id', '=', id).executeTakeFirst()
}

/**
 * Who holds a userName or an email (either counts: both identify a person): live users, and users the
 * provider deleted, whom provisioning the same person again brings back.
 */
export async function findHolders(
  db: Db,
  values: { userName: string; email: string },
): Promise<Array<{ id: string; deleted: boolean }>> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('scim_users as s', 's.user_id', 'u.id')
    .select(['u.id', sql<boolean>`s.deleted_at is not null`.as('deleted')])
    .where((eb) =>
      eb.or([
        eb(sql`lower(${USER_NAME})`, '=', values.userName.toLowerCase()),
        eb(sql`lower(u.email)`, '=', values.email.toLowerCase()),
        eb(sql`lower(u.email)`, '=', values.userName.toLowerCase()),
      ]),
    )
    .execute()
  return rows
}

export async function upsertScimUserRow(
  db: Db,
  values: {
    userId: string
    userName: string
    externalId: string | null
    attributes: Record<string, unknown>
    now: Date
  },
): Promise<void> {
  const row = {
    user_name: values.userName,
    external_id: values.externalId,
    attributes: JSON.stringify(values.attributes),
    updated_at: values.now,
    deleted_at: null,
  }
  await db
    .insertInto('scim_users')
    .values({ user_id: values.userId, created_at: values.now, ...row })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
    .execute()
}

export async function markScimUserDeleted(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .insertInto('scim_users')
    .values({
      user_id: userId,
      user_name: sql<string>`(select email from users where id = ${userId})`,
      deleted_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ deleted_at: now, updated_at: now }))
    .execute()
}

/** The SCIM groups of each user, for the read-only `groups` attribute. */
export async function groupsOfUsers(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, Array<{ id: string; displayName: string }>>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('scim_group_members as m')
    .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
    .select(['m.user_id', 'g.id', 'g.display_name'])
    .where('m.user_id', 'in', [...userIds])
    .orderBy('g.display_name')
    .execute()
  return groupRows(
    rows,
    (row) => row.user_id,
    (row) => ({ id: row.id, displayName: row.display_name }),
  )
}
