// Membership changes made by admins. Each runs in one transaction with its audit event, so the log and
// the data never disagree.
import type { RuleInForce } from '../../../contracts/api/feed.api.js'
import type { AddablePerson, OpportunityMember } from '../../../contracts/api/members.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { findUserById } from '../../users/users.repository.js'
import { adminsOnly } from '../feed/feed-rules.js'
import { readDealRules } from '../feed/feed-settings.repository.js'
import { notifyAdded } from '../feed/notifications.repository.js'
import { queueEmails } from '../mail/mail-queue.js'
import { getVisibleOpportunity } from '../opportunities/opportunity-detail.repository.js'
import {
  addManualMemberships,
  findLiveOpportunityIds,
  findMember,
  listMembers,
  removeManualMemberships,
} from './members.repository.js'
import { findAddablePeople } from './assignable-users.repository.js'
import { findRuleMatches } from './rule-matches.repository.js'

/** An opportunity an admin can change: it exists and is not deleted in Salesforce (404 / 410 otherwise). */
async function assertChangeableOpportunity(
  db: Db,
  opportunityId: string,
  actorUserId: string,
): Promise<void> {
  await getVisibleOpportunity(db, opportunityId, { userId: actorUserId, isAdmin: true })
}

/**
 * "Added to an opportunity" for the person added (never for adding oneself), email queued with it, in the
 * transaction that adds (the bell's live event comes from the notification row's trigger at commit).
 */
export async function tellAdded(
  deps: AppDeps,
  trx: Db,
  added: { userId: string; opportunityIds: readonly string[]; actorId: string },
): Promise<void> {
  const told = await notifyAdded(trx, added, deps.clock.now(), deps.config.mail.smtpUrl !== undefined)
  await queueEmails(deps, trx, told)
}

export async function assertAssignableUser(db: Db, userId: string): Promise<{ id: string; email: string }> {
  const user = await findUserById(db, userId)
  if (!user) throw new AppError('VALIDATION_FAILED', 'This user was not found.', { userId: 'No such user.' })
  if (!user.is_active) {
    throw new AppError('VALIDATION_FAILED', 'This user is deactivated.', {
      userId: 'This user is deactivated.',
    })
  }
  return user
}

export async function addMember(
  deps: AppDeps,
  actorUserId: string,
  opportunityId: string,
  userId: string,
): Promise<{ member: OpportunityMember; changed: boolean }> {
  return deps.db.transaction().execute((trx) => addIn(deps, trx, actorUserId, opportunityId, userId))
}

async function addIn(
  deps: AppDeps,
  trx: Db,
  actorUserId: string,
  opportunityId: string,
  userId: string,
): Promise<{ member: OpportunityMember; changed: boolean }> {
  await assertChangeableOpportunity(trx, opportunityId, actorUserId)
  const user = await assertAssignableUser(trx, userId)
  const changed = await addManualMemberships(trx, userId, [opportunityId], actorUserId, deps.clock.now())
  if (changed.length > 0) {
    await tellAdded(deps, trx, { userId, opportunityIds: changed, actorId: actorUserId })
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'crm.member.added',
      targetType: 'crm_opportunity',
      targetId: opportunityId,
      details: { userId, email: user.email },
    })
  }
  const member = await findMember(trx, opportunityId, userId)
  if (!member) throw new Error('membership row missing right after insert')
  return { member, changed: changed.length > 0 }
}

/**
 * A member adds a colleague to a deal they are on (issue 15: "who may add members", the deal's own rule or
 * the module default in the feed settings). Checked in the transaction that adds: the actor must be on the deal (404 otherwise, as for
 * any deal they cannot see) and the setting must let members add (403); admins always may.
 */
export async function addMemberAsMember(
  deps: AppDeps,
  actor: { userId: string; isAdmin: boolean },
  opportunityId: string,
  userId: string,
): Promise<{ member: OpportunityMember; changed: boolean }> {
  if (actor.isAdmin) return addMember(deps, actor.userId, opportunityId, userId)
  return deps.db.transaction().execute(async (trx) => {
    await getVisibleOpportunity(trx, opportunityId, { userId: actor.userId, isAdmin: false })
    const rule = (await readDealRules(trx, opportunityId)).whoMayAddMembers
    if (rule.value !== 'members') throw adminsOnly(rule, 'add people to')
    return addIn(deps, trx, actor.userId, opportunityId, userId)
  })
}

/** The first letters of the first and last word of a name, for an avatar ("Ada Lovelace" → "AL"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const first = words[0] ?? ''
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : ''
  return ([...first].slice(0, 1).join('') + [...last].slice(0, 1).join('')).toUpperCase()
}

/**
 * The portal's "Add people": whether the viewer may add members to a deal they are on (404 otherwise, as for
 * any deal they cannot see), and only then who they could add. Never an email: members see their co-members'
 * emails (the mention list), not the whole workspace's.
 */
export async function findAddablePeopleFor(
  deps: AppDeps,
  viewer: { userId: string; isAdmin: boolean },
  opportunityId: string,
  search: string | undefined,
): Promise<{ canAdd: boolean; rule: RuleInForce; people: AddablePerson[] }> {
  return deps.db.transaction().execute(async (trx) => {
    await getVisibleOpportunity(trx, opportunityId, viewer)
    const rule = (await readDealRules(trx, opportunityId)).whoMayAddMembers
    const canAdd = viewer.isAdmin || rule.value === 'members'
    if (!canAdd) return { canAdd, rule, people: [] }
    const rows = await findAddablePeople(trx, opportunityId, search)
    return {
      canAdd,
      rule,
      people: rows.map((row) => ({ id: row.id, name: row.name, initials: initialsOf(row.name) })),
    }
  })
}

export async function removeMember(
  deps: AppDeps,
  actorUserId: string,
  opportunityId: string,
  userId: string,
): Promise<{ changed: boolean; remaining: OpportunityMember | null }> {
  return deps.db.transaction().execute(async (trx) => {
    await assertChangeableOpportunity(trx, opportunityId, actorUserId)
    const changed = await removeManualMemberships(trx, userId, [opportunityId])
    if (changed.length > 0) {
      await recordAuditEvent(trx, {
        actorUserId,
        action: 'crm.member.removed',
        targetType: 'crm_opportunity',
        targetId: opportunityId,
        details: { userId },
      })
    }
    return { changed: changed.length > 0, remaining: (await findMember(trx, opportunityId, userId)) ?? null }
  })
}

export async function bulkChangeMembers(
  deps: AppDeps,
  actorUserId: string,
  input: { opportunityIds: string[]; userId: string; action: 'add' | 'remove' },
): Promise<{ changed: number; unchanged: number; notFound: string[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await assertAssignableUser(trx, input.userId)
    const requested = [...new Set(input.opportunityIds)]
    const live = await findLiveOpportunityIds(trx, requested)
    const targets = requested.filter((id) => live.has(id))
    const changed =
      input.action === 'add'
        ? await addManualMemberships(trx, input.userId, targets, actorUserId, deps.clock.now())
        : await removeManualMemberships(trx, input.userId, targets)
    if (changed.length > 0) {
      if (input.action === 'add')
        await tellAdded(deps, trx, { userId: input.userId, opportunityIds: changed, actorId: actorUserId })
      await recordAuditEvent(trx, {
        actorUserId,
        action: input.action === 'add' ? 'crm.members.bulk_added' : 'crm.members.bulk_removed',
        targetType: 'user',
        targetId: input.userId,
        details: { email: user.email, opportunityIds: changed },
      })
    }
    return {
      changed: changed.length,
      unchanged: targets.length - changed.length,
      notFound: requested.filter((id) => !live.has(id)),
    }
  })
}

export async function acceptSuggestions(
  deps: AppDeps,
  actorUserId: string,
  opportunityId: string,
  userIds: string[] | undefined,
): Promise<{ added: string[]; members: OpportunityMember[] }> {
  return deps.db.transaction().execute(async (trx) => {
    await assertChangeableOpportunity(trx, opportunityId, actorUserId)
    const suggested = (await findRuleMatches(trx, opportunityId)).filter(
      (match) => match.user.is_active && !match.isManualMember,
    )
    const wanted = userIds ? new Set(userIds) : undefined
    const chosen = suggested.filter((match) => !wanted || wanted.has(match.user.id))
    if (wanted && chosen.length !== wanted.size) {
      throw new AppError('CONFLICT', 'Some of these users are no longer suggested for this opportunity.', {
        userIds: 'Reload the suggestions and try again.',
      })
    }
    const added: string[] = []
    for (const match of chosen) {
      const changed = await addManualMemberships(
        trx,
        match.user.id,
        [opportunityId],
        actorUserId,
        deps.clock.now(),
      )
      if (changed.length === 0) continue
      added.push(match.user.id)
      await tellAdded(deps, trx, { userId: match.user.id, opportunityIds: changed, actorId: actorUserId })
      await recordAuditEvent(trx, {
        actorUserId,
        action: 'crm.member.added',
        targetType: 'crm_opportunity',
        targetId: opportunityId,
        details: { userId: match.user.id, email: match.user.email, suggestion: match.reasons },
      })
    }
    return { added, members: await listMembers(trx, opportunityId) }
  })
}
