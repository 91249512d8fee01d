// The admin's SCIM tokens: created with a name, shown once, revocable, with when each was last used.
import type { ScimToken } from '../../../contracts/api/identity.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import { hashToken, newToken } from '../../auth/tokens.js'
import type { AppDeps } from '../../deps.js'
import { notFound } from '../../errors.js'
import {
  findScimTokenRow,
  insertScimToken,
  listScimTokenRows,
  revokeScimTokenRow,
  type ScimTokenRow,
} from './scim-tokens.repository.js'

/** A prefix makes a leaked token recognisable to secret scanners and to people. */
const TOKEN_PREFIX = 'crmscim_'

export const SCIM_BASE_PATH = '/scim/v2'

export function scimBaseUrl(deps: AppDeps): string {
  return `${deps.config.http.publicUrl}${SCIM_BASE_PATH}`
}

function toScimToken(row: ScimTokenRow): ScimToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by_name,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }
}

export async function listScimTokens(deps: AppDeps): Promise<ScimToken[]> {
  return (await listScimTokenRows(deps.db)).map(toScimToken)
}

export async function createScimToken(
  deps: AppDeps,
  actorId: string,
  name: string,
): Promise<{ token: string; scimToken: ScimToken }> {
  const token = `${TOKEN_PREFIX}${newToken()}`
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertScimToken(trx, {
      name,
      tokenHash: hashToken(token),
      createdBy: actorId,
      now: deps.clock.now(),
    })
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: 'scim.token.created',
      targetType: 'scim_token',
      targetId: id,
      details: { name },
    })
    const row = await findScimTokenRow(trx, id)
    if (!row) throw notFound('The token')
    return { token, scimToken: toScimToken(row) }
  })
}

export async function revokeScimToken(deps: AppDeps, actorId: string, id: string): Promise<ScimToken> {
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await revokeScimTokenRow(trx, id, deps.clock.now())
    const row = await findScimTokenRow(trx, id)
    if (!row) throw notFound('The token')
    if (revoked) {
      await recordAuditEvent(trx, {
        actorUserId: actorId,
        action: 'scim.token.revoked',
        targetType: 'scim_token',
        targetId: id,
        details: { name: row.name },
      })
    }
    return toScimToken(row)
  })
}
