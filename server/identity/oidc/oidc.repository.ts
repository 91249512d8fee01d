// SQL of OpenID Connect sign-in: the settings row, sign-ins in flight, subject links, per-session ID tokens.
import type { Insertable, Selectable } from 'kysely'

import type { Db } from '../../storage/open-database.js'
import type { IdentityOidcSettingsTable } from '../../storage/tables/identity.table.js'
import { clientSecretContext, ID_TOKEN_CONTEXT, PENDING_SIGN_IN_CONTEXT } from './seal-contexts.js'

export type OidcSettingsRow = Selectable<IdentityOidcSettingsTable>

export function findOidcSettings(db: Db): Promise<OidcSettingsRow | undefined> {
  return db.selectFrom('identity_oidc_settings').selectAll().executeTakeFirst()
}

export async function upsertOidcSettings(
  db: Db,
  values: Omit<Insertable<IdentityOidcSettingsTable>, 'id'>,
): Promise<OidcSettingsRow> {
  return db
    .insertInto('identity_oidc_settings')
    .values({ id: 'default', ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Re-seals every sealed identity value under a new master key (npm run crm:rotate-key), each in its own
 * context; returns how many values were re-sealed.
 */
export async function resealIdentitySecrets(
  db: Db,
  reseal: (sealed: string, context: string) => string,
): Promise<number> {
  let count = 0
  const settings = await db.selectFrom('identity_oidc_settings').selectAll().forUpdate().executeTakeFirst()
  if (settings) {
    const context = clientSecretContext(settings.issuer, settings.client_id)
    await db
      .updateTable('identity_oidc_settings')
      .set({ sealed_client_secret: reseal(settings.sealed_client_secret, context) })
      .execute()
    count += 1
  }
  const sessions = await db.selectFrom('identity_oidc_sessions').selectAll().forUpdate().execute()
  for (const row of sessions) {
    await db
      .updateTable('identity_oidc_sessions')
      .set({ sealed_id_token: reseal(row.sealed_id_token, ID_TOKEN_CONTEXT) })
      .where('session_token_hash', '=', row.session_token_hash)
      .execute()
  }
  const pending = await db.selectFrom('identity_oidc_pending').selectAll().forUpdate().execute()
  for (const row of pending) {
    await db
      .updateTable('identity_oidc_pending')
      .set({ sealed_request: reseal(row.sealed_request, PENDING_SIGN_IN_CONTEXT) })
      .where('state_hash', '=', row.state_hash)
      .execute()
  }
  return count + sessions.length + pending.length
}

export async function insertPendingSignIn(
  db: Db,
  values: { stateHash: string; sealedRequest: string; expiresAt: Date; now: Date },
): Promise<void> {
  await db.deleteFrom('identity_oidc_pending').where('expires_at', '<', values.now).execute()
  await db
    .insertInto('identity_oidc_pending')
    .values({
      state_hash: values.stateHash,
      sealed_request: values.sealedRequest,
      expires_at: values.expiresAt,
    })
    .execute()
}

/** Deletes and returns a pending sign-in: each state can be used once. */
export async function takePendingSignIn(
  db: Db,
  stateHash: string,
  now: Date,
): Promise<{ sealedRequest: string } | undefined> {
  const row = await db
    .deleteFrom('identity_oidc_pending')
    .where('state_hash', '=', stateHash)
    .returning(['sealed_request', 'expires_at'])
    .executeTakeFirst()
  if (!row || row.expires_at.getTime() <= now.getTime()) return undefined
  return { sealedRequest: row.sealed_request }
}

export function findLinkedUserId(db: Db, issuer: string, subject: string): Promise<string | undefined> {
  return db
    .selectFrom('identity_links')
    .select('user_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
    .then((row) => row?.user_id)
}

/** The subject a user is already linked to at this issuer, if any. */
export function findSubjectOfUser(db: Db, issuer: string, userId: string): Promise<string | undefined> {
  return db
    .selectFrom('identity_links')
    .select('subject')
    .where('issuer', '=', issuer)
    .where('user_id', '=', userId)
    .executeTakeFirst()
    .then((row) => row?.subject)
}

export async function insertLink(
  db: Db,
  values: { issuer: string; subject: string; userId: string; email: string; now: Date },
): Promise<void> {
  await db
    .insertInto('identity_links')
    .values({
      issuer: values.issuer,
      subject: values.subject,
      user_id: values.userId,
      email_at_link: values.email,
      linked_at: values.now,
      last_sign_in_at: values.now,
    })
    .execute()
}

export async function touchLink(db: Db, issuer: string, subject: string, now: Date): Promise<void> {
  await db
    .updateTable('identity_links')
    .set({ last_sign_in_at: now })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute()
}

export async function rememberSessionIdToken(
  db: Db,
  values: { sessionTokenHash: string; sealedIdToken: string; issuer: string },
): Promise<void> {
  await db
    .insertInto('identity_oidc_sessions')
    .values({
      session_token_hash: values.sessionTokenHash,
      sealed_id_token: values.sealedIdToken,
      issuer: values.issuer,
    })
    .execute()
}

export function findSessionIdToken(
  db: Db,
  sessionTokenHash: string,
): Promise<{ sealed_id_token: string; issuer: string } | undefined> {
  return db
    .selectFrom('identity_oidc_sessions')
    .select(['sealed_id_token', 'issuer'])
    .where('session_token_hash', '=', sessionTokenHash)
    .executeTakeFirst()
}

/** Active admins with a password: the accounts that can be the break-glass admin. */
export function listBreakGlassCandidates(
  db: Db,
): Promise<Array<{ id: string; name: string; email: string }>> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .where('password_hash', 'is not', null)
    .orderBy('name')
    .limit(200)
    .execute()
}

/** The latest refused identity-provider sign-ins, from the audit log. */
export function listRecentSignInFailures(
  db: Db,
  limit: number,
): Promise<Array<{ at: Date; details: Record<string, unknown> }>> {
  return db
    .selectFrom('audit_events')
    .select(['at', 'details'])
    .where('action', '=', 'identity.oidc.sign_in_refused')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
