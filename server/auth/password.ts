import { hash, verify } from '@node-rs/argon2'

// @node-rs/argon2 defaults to Argon2id (RFC 9106's recommended variant) with m=19 MiB, t=2, p=1, the
// OWASP Password Storage Cheat Sheet's minimum; about 40 ms per hash on these machines.
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// A fixed hash to verify against when the account does not exist, so a wrong email costs as much time as a
// wrong password and response times do not reveal which emails have accounts.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Pn0bQ4hgfEN0qU8l9bGZ8WbmxKB+HUpH8WQy2nyNvY'

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? DUMMY_HASH, password)
  } catch {
    return false
  }
}
