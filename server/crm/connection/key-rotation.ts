// Re-encrypts every stored CRM secret under a new master key. Idempotent and resumable: each value names the
// key that sealed it, so a second run after a crash re-seals only what still uses the old key.
import type { AppDeps } from '../../deps.js'
import { resealIdentitySecrets } from '../../identity/oidc/oidc.repository.js'
import { createSecretBox, keyIdOf, type SecretBox } from '../../secrets/secret-box.js'
import { resealConnectionSecrets } from './connection.repository.js'
import { resealPendingApprovals } from './oauth-pending.repository.js'

export interface RotationReport {
  connections: number
  pendingApprovals: number
  /** OpenID Connect client secret, ID tokens of open sessions, sign-ins in flight. */
  identitySecrets: number
  oldKeyId: string
  newKeyId: string
}

export async function reencryptSecrets(
  db: AppDeps['db'],
  oldKey: Buffer,
  newKey: Buffer,
): Promise<RotationReport> {
  const oldBox = createSecretBox(oldKey)
  const newBox = createSecretBox(newKey)
  const reseal = (sealed: string, context?: string): string => {
    const box: SecretBox = sealed.split('.')[1] === newBox.keyId ? newBox : oldBox
    return newBox.seal(box.open(sealed, context), context)
  }
  return db.transaction().execute(async (trx) => {
    const connections = await resealConnectionSecrets(trx, reseal)
    const pendingApprovals = await resealPendingApprovals(trx, reseal)
    const identitySecrets = await resealIdentitySecrets(trx, reseal)
    return {
      connections,
      pendingApprovals,
      identitySecrets,
      oldKeyId: keyIdOf(oldKey),
      newKeyId: keyIdOf(newKey),
    }
  })
}
