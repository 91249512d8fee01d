// What a connection's sealed secrets are bound to (server/secrets/secret-box.ts): the origin of the Web
// Services URL and the Consumer Key they were entered for (secretBindingOf in the contract, shared with the
// Setup form). The binding is authenticated with the ciphertext (AES-GCM additional data, NIST SP 800-38D
// https://csrc.nist.gov/pubs/sp/800/38/d/final), so secrets copied to another row, or left behind after the
// host or the key changed in the database, fail to open instead of being sent somewhere else.
import { createHash } from 'node:crypto'

import { secretBindingOf } from '../../../contracts/api/crm-connection.api.js'
import type { AppDeps } from '../../deps.js'
import { SecretKeyError } from '../../secrets/secret-box.js'
import type { StoredSecrets } from './resolved-settings.js'

/** The columns a connection's secrets are bound to. */
export interface SecretPlace {
  login_url: string
  consumer_key: string
}

export function connectionSecretsContext(place: SecretPlace): string {
  const binding = secretBindingOf(place.login_url, place.consumer_key) ?? `invalid ${place.login_url}`
  return `crm.connection.secrets ${createHash('sha256').update(binding).digest('hex')}`
}

/** An approval in flight opens only for the state it was started with. */
export function pendingApprovalContext(stateHash: string): string {
  return `crm.connection.oauth_pending ${stateHash}`
}

/** A user's own Salesforce tokens open only for that user and that connection (user-link.repository.ts). */
export function userLinkContext(place: { user_id: string; connection_id: string }): string {
  return `crm.user_connection ${place.user_id} ${place.connection_id}`
}

/** A user's "Connect my Salesforce account" in flight opens only for the state it was started with. */
export function userLinkPendingContext(stateHash: string): string {
  return `crm.user_connection.oauth_pending ${stateHash}`
}

export const MISPLACED_SECRETS =
  'The stored Salesforce secrets do not belong to this Web Services URL and Consumer Key: they were entered for another host or connected app, copied from another connection, or altered.'
export const MISPLACED_HINT =
  'Open Module Settings > Setup, enter the Consumer Secret and the other secrets again, and Save Settings.'

export class MisplacedSecretsError extends SecretKeyError {}

export function openSecrets(deps: AppDeps, row: SecretPlace & { encrypted_secrets: string }): StoredSecrets {
  let plain: string
  try {
    plain = deps.secrets.open(row.encrypted_secrets, connectionSecretsContext(row))
  } catch (err) {
    if (err instanceof SecretKeyError && /integrity check/.test(err.message)) {
      throw new MisplacedSecretsError(MISPLACED_SECRETS)
    }
    throw err
  }
  return JSON.parse(plain) as StoredSecrets
}

export function sealSecrets(deps: AppDeps, place: SecretPlace, secrets: StoredSecrets): string {
  return deps.secrets.seal(JSON.stringify(secrets), connectionSecretsContext(place))
}
