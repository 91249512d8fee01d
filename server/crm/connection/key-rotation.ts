// Re-encrypts every stored CRM secret under a new master key. Idempotent and resumable: each value names the
// key that sealed it, so a second run after a crash re-seals only what still uses the old key. Each value keeps
// its binding (secret-binding.ts); ones sealed before bindings existed are bound at start-up
// (bindLegacyConnectionSecrets), not here.
import type { AppDeps } from '../../deps.js'
import { resealIdentitySecrets } from '../../identity/oidc/oidc.repository.js'
import { createSecretBox, keyIdOf, SecretKeyError, type SecretBox } from '../../secrets/secret-box.js'
import { resealConnectionSecrets } from './connection.repository.js'
import { resealPendingApprovals } from './oauth-pending.repository.js'
import {
  connectionSecretsContext,
  pendingApprovalContext,
  userLinkContext,
  userLinkPendingContext,
} from './secret-binding.js'
import { resealRevocations } from './link-revocation.repository.js'
import { resealUserLinks } from './user-link.repository.js'

export interface RotationReport {
  connections: number
  pendingApprovals: number
  /** Users' own Salesforce tokens ("Connect my Salesforce account"), those waiting to be revoked included. */
  userLinks: number
  /** OpenID Connect client secret, ID tokens of open sessions, sign-ins in flight. */
  identitySecrets: number
  oldKeyId: string
  newKeyId: string
}

/** Opens `sealed` bound to `context`, or, sealed before bindings existed, unbound; says which. */
function openBoundOrLegacy(
  box: SecretBox,
  sealed: string,
  context: string,
): { plain: string; context: string | undefined } {
  try {
    return { plain: box.open(sealed, context), context }
  } catch (err) {
    if (!(err instanceof SecretKeyError) || !/integrity check/.test(err.message)) throw err
    return { plain: box.open(sealed), context: undefined }
  }
}

export async function reencryptSecrets(
  db: AppDeps['db'],
  oldKey: Buffer,
  newKey: Buffer,
): Promise<RotationReport> {
  const oldBox = createSecretBox(oldKey)
  const newBox = createSecretBox(newKey)
  const boxOf = (sealed: string): SecretBox => (sealed.split('.')[1] === newBox.keyId ? newBox : oldBox)
  const reseal = (sealed: string, context?: string): string =>
    newBox.seal(boxOf(sealed).open(sealed, context), context)
  const keepBinding = (sealed: string, context: string): string => {
    const opened = openBoundOrLegacy(boxOf(sealed), sealed, context)
    return newBox.seal(opened.plain, opened.context)
  }
  return db.transaction().execute(async (trx) => {
    const connections = await resealConnectionSecrets(trx, (row) =>
      keepBinding(row.encrypted_secrets, connectionSecretsContext(row)),
    )
    const pendingApprovals = await resealPendingApprovals(trx, (sealed, stateHash, purpose) =>
      purpose === 'user_link'
        ? reseal(sealed, userLinkPendingContext(stateHash))
        : keepBinding(sealed, pendingApprovalContext(stateHash)),
    )
    const userLinks =
      (await resealUserLinks(trx, (row) => reseal(row.encrypted_tokens, userLinkContext(row)))) +
      (await resealRevocations(trx, (row) => reseal(row.encrypted_tokens, userLinkContext(row))))
    const identitySecrets = await resealIdentitySecrets(trx, reseal)
    return {
      connections,
      pendingApprovals,
      userLinks,
      identitySecrets,
      oldKeyId: keyIdOf(oldKey),
      newKeyId: keyIdOf(newKey),
    }
  })
}

/**
 * At start-up: connection secrets sealed before they were bound to their place are bound to the row they are
 * in now, under the current key; bound ones and ones that open nowhere (reported to the admin) stay as they
 * are. Returns how many were bound.
 */
export async function bindLegacyConnectionSecrets(db: AppDeps['db'], box: SecretBox): Promise<number> {
  return db.transaction().execute((trx) =>
    resealConnectionSecrets(trx, (row) => {
      const context = connectionSecretsContext(row)
      const opens = (bound: boolean) => {
        try {
          box.open(row.encrypted_secrets, bound ? context : undefined)
          return true
        } catch {
          return false
        }
      }
      if (opens(true) || !opens(false)) return undefined
      return box.seal(box.open(row.encrypted_secrets), context)
    }),
  )
}
