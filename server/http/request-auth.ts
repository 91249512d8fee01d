// What the HTTP layer knows of a request's caller. The types live here, below the auth feature, so the
// router depends on no feature: app.ts hands it auth's `authenticate` (http -> auth would be a cycle,
// since every feature's routes import the router).
import type { SessionUser } from '../../contracts/api/auth.api.js'

export interface ClientInfo {
  ip: string
  userAgent: string | null
}

export type AuthState =
  | { status: 'signed-in'; user: SessionUser; tokenHash: string; csrfToken: string }
  | { status: 'anonymous' }
  /** A cookie was sent but its session ended (idle, absolute expiry, sign-out, deactivation). */
  | { status: 'expired' }

/** Resolves the session cookie's token (if any) to who is calling. */
export type Authenticate = (token: string | undefined) => Promise<AuthState>
