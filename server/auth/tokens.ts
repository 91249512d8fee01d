import { createHash, randomBytes } from 'node:crypto'

/** A random, URL-safe token with 256 bits of entropy. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored only as SHA-256 hashes: a copy of the database does not let anyone use them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
