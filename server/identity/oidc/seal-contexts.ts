// What each sealed identity value is bound to (server/secrets/secret-box.ts): a value opens only there.
import { createHash } from 'node:crypto'

/** A client secret opens only for the issuer and client id it was entered for. */
export function clientSecretContext(issuer: string, clientId: string): string {
  return `identity.oidc.client_secret ${createHash('sha256').update(`${issuer}\u0000${clientId}`).digest('hex')}`
}

export const PENDING_SIGN_IN_CONTEXT = 'identity.oidc.pending'
export const ID_TOKEN_CONTEXT = 'identity.oidc.id_token'
