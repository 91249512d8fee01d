// Who signed in: a user is found by the provider's subject (issuer + sub), which never changes. The first
// time, an existing account is linked once by email, but only an email the provider says it verified
// (assignments follow emails, so an unverified address must never open someone else's account). With
// just-in-time creation on, someone without an account gets one. The allowed domains apply to every sign-in.
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { Db } from '../../storage/open-database.js'
import { findUserByEmail, findUserById, insertUser, type UserRow } from '../../users/users.repository.js'
import { applyGroupRole, isInGroup } from '../group-roles.js'
import type { OidcSettings } from './oidc-settings.service.js'
import { findLinkedUserId, findSubjectOfUser, insertLink, touchLink } from './oidc.repository.js'
import { hintFor, refusal, type SignInRefusal } from './sign-in-refusal.js'

export type AccountOutcome =
  | { ok: true; user: UserRow; how: 'returning' | 'linked' | 'created' }
  | { ok: false; refusal: SignInRefusal; userId?: string }

interface Identity {
  subject: string
  email: string
  emailVerified: boolean
  name: string | undefined
  /** Undefined when the provider sent no groups claim: the role is then left as it is. */
  groups: string[] | undefined
}

export function readIdentity(
  settings: OidcSettings,
  claims: Record<string, unknown>,
): Identity | SignInRefusal {
  const email = claims[settings.emailClaim]
  if (typeof email !== 'string' || !email.includes('@')) {
    return refusal(
      'email_missing',
      `The ID token and userinfo have no email in claim "${settings.emailClaim}".`,
      hintFor('email_missing'),
    )
  }
  const name = claims[settings.nameClaim]
  const groups = claims[settings.groupsClaim]
  return {
    subject: String(claims['sub']),
    email: email.trim().toLowerCase(),
    // Entra ID sends no email_verified; its optional claim xms_edov says the domain owner verified it.
    emailVerified: claims['email_verified'] === true || claims['xms_edov'] === true,
    name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : undefined,
    groups: Array.isArray(groups)
      ? groups.filter((group): group is string => typeof group === 'string')
      : typeof groups === 'string'
        ? [groups]
        : undefined,
  }
}

export async function resolveAccount(
  db: Db,
  settings: OidcSettings,
  identity: Identity,
  now: Date,
): Promise<AccountOutcome> {
  const domain = identity.email.split('@').pop() ?? ''
  if (settings.allowedDomains.length > 0 && !settings.allowedDomains.includes(domain)) {
    return refused(
      'domain_not_allowed',
      `${identity.email}: the domain ${domain} is not in the allowed list.`,
    )
  }
  const linkedId = await findLinkedUserId(db, settings.issuer, identity.subject)
  const linked = linkedId ? await findUserById(db, linkedId) : undefined
  if (linked) {
    if (!linked.is_active) return refused('account_disabled', `${linked.email} is deactivated.`, linked.id)
    await touchLink(db, settings.issuer, identity.subject, now)
    return withGroupRole(db, settings, identity, linked, 'returning')
  }

  if (!identity.emailVerified) {
    return refused(
      'email_not_verified',
      `${identity.email}: the provider did not say the address is verified.`,
    )
  }
  const existing = await findUserByEmail(db, identity.email)
  if (existing) {
    const otherSubject = await findSubjectOfUser(db, settings.issuer, existing.id)
    if (otherSubject !== undefined) {
      return refused('already_linked', `${existing.email} is already linked to another subject.`, existing.id)
    }
    if (!existing.is_active)
      return refused('account_disabled', `${existing.email} is deactivated.`, existing.id)
    await link(db, settings, identity, existing, now)
    return withGroupRole(db, settings, identity, existing, 'linked')
  }

  if (!settings.jitEnabled) {
    return refused('no_account', `${identity.email} has no account, and just-in-time creation is off.`)
  }
  const isAdmin = settings.adminGroup !== null && isInGroup(identity.groups ?? [], settings.adminGroup)
  const created = await insertUser(db, {
    name: identity.name ?? identity.email.split('@')[0] ?? identity.email,
    email: identity.email,
    role: isAdmin ? 'admin' : 'member',
    password_hash: null,
  })
  await recordAuditEvent(db, {
    actorUserId: null,
    action: 'identity.user.created_at_sign_in',
    targetType: 'user',
    targetId: created.id,
    details: { email: created.email, role: created.role, issuer: settings.issuer },
  })
  await link(db, settings, identity, created, now)
  return { ok: true, user: created, how: 'created' }
}

async function link(db: Db, settings: OidcSettings, identity: Identity, user: UserRow, now: Date) {
  await insertLink(db, {
    issuer: settings.issuer,
    subject: identity.subject,
    userId: user.id,
    email: identity.email,
    now,
  })
  await recordAuditEvent(db, {
    actorUserId: null,
    action: 'identity.oidc.linked',
    targetType: 'user',
    targetId: user.id,
    details: { issuer: settings.issuer, subject: identity.subject, email: identity.email },
  })
}

async function withGroupRole(
  db: Db,
  settings: OidcSettings,
  identity: Identity,
  user: UserRow,
  how: 'returning' | 'linked',
): Promise<AccountOutcome> {
  if (settings.adminGroup === null || identity.groups === undefined) return { ok: true, user, how }
  const role = await applyGroupRole(db, {
    userId: user.id,
    isAdminGroupMember: isInGroup(identity.groups, settings.adminGroup),
    breakGlassUserId: settings.breakGlassUserId,
    via: 'oidc',
  })
  return { ok: true, user: { ...user, role: role ?? user.role }, how }
}

function refused(reason: SignInRefusal['reason'], detail: string, userId?: string): AccountOutcome {
  return { ok: false, refusal: refusal(reason, detail, hintFor(reason)), ...(userId ? { userId } : {}) }
}
