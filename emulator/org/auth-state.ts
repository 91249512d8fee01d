// Who may sign in, with which connected app, and the tokens Salesforce has handed out. Access tokens look like
// Salesforce session ids: the org id, '!', then opaque characters (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_oauth_username_password_flow.htm;
// the sf CLI checks /(00D\w{12,15})![.\w]*/).
import { randomBytes } from 'node:crypto'

export type OAuthFlow = 'password' | 'client_credentials' | 'authorization_code' | 'refresh_token'

export interface EmulatedUser {
  id: string
  username: string
  password: string
  securityToken: string
  isActive: boolean
  apiEnabled: boolean
  /** Profile permission "Read" on Opportunity. */
  canReadOpportunities: boolean
  /** Edit access to opportunities (profile "Edit" and sharing, as one switch); false: writes are refused. */
  canEditOpportunities: boolean
}

export interface ConnectedApp {
  consumerKey: string
  consumerSecret: string
  flows: Set<OAuthFlow>
  /** The "Run As" user of the client credentials flow. */
  runAsUserId: string | null
  /** Salesforce: a new or changed app can take up to 10 minutes to work; until then invalid_client_id. */
  activeAfter: number
  /** Refresh token rotation: a refresh returns a new refresh token and retires the old one. */
  rotateRefreshTokens: boolean
  /** Skip the consent page (tests). */
  autoApprove: boolean
}

export interface Session {
  accessToken: string
  userId: string
  consumerKey: string
  issuedAt: number
  expiresAt: number
  revoked: boolean
  refreshToken: string | null
}

export interface RefreshGrant {
  token: string
  userId: string
  consumerKey: string
  revoked: boolean
}

export interface PendingCode {
  code: string
  userId: string
  consumerKey: string
  redirectUri: string
  codeChallenge: string | null
  expiresAt: number
}

export class AuthState {
  readonly users = new Map<string, EmulatedUser>()
  readonly apps = new Map<string, ConnectedApp>()
  readonly sessions = new Map<string, Session>()
  readonly refreshGrants = new Map<string, RefreshGrant>()
  readonly codes = new Map<string, PendingCode>()
  /** Setup > OAuth and OpenID Connect Settings > "Allow OAuth Username-Password Flows" turned off
   * (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_disable_username_password_flow_ca.htm). */
  blockUsernamePasswordFlow = false
  /** Setup "Enable SOAP API login()": off by default in orgs created Winter '26 or later (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm). */
  soapLoginEnabled = true
  /** Session timeout: Salesforce's default is 2 hours
   * (https://developer.salesforce.com/docs/platform/api-metadata/guide/meta-error-handling-session-exp.html). */
  sessionTtlMs = 2 * 3_600_000

  constructor(
    readonly orgId: string,
    private readonly now: () => number,
  ) {}

  findUserByUsername(username: string): EmulatedUser | undefined {
    const wanted = username.toLowerCase()
    return [...this.users.values()].find((user) => user.username.toLowerCase() === wanted)
  }

  openSession(userId: string, consumerKey: string, refreshToken: string | null): Session {
    const accessToken = `${this.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url').replace(/[-_]/g, '.')}`
    const issuedAt = this.now()
    const session: Session = {
      accessToken,
      userId,
      consumerKey,
      issuedAt,
      expiresAt: issuedAt + this.sessionTtlMs,
      revoked: false,
      refreshToken,
    }
    this.sessions.set(accessToken, session)
    return session
  }

  newRefreshToken(userId: string, consumerKey: string): string {
    const token = `5Aep86${randomBytes(40).toString('base64url').replace(/[-_]/g, '.')}`
    this.refreshGrants.set(token, { token, userId, consumerKey, revoked: false })
    return token
  }

  /** A live session for a bearer token, or undefined (unknown, expired, revoked, or the user deactivated). */
  sessionFor(accessToken: string): Session | undefined {
    const session = this.sessions.get(accessToken)
    if (!session || session.revoked || session.expiresAt <= this.now()) return undefined
    if (!this.users.get(session.userId)?.isActive) return undefined
    return session
  }

  /** Revokes an access or refresh token; revoking a refresh token ends its access tokens too
   * (https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_revoke_token.htm). */
  revoke(token: string): boolean {
    // A token already revoked is no longer a valid token: "invalid_token" like an unknown one.
    const session = this.sessions.get(token)
    if (session) {
      if (session.revoked) return false
      session.revoked = true
      return true
    }
    const grant = this.refreshGrants.get(token)
    if (!grant || grant.revoked) return false
    grant.revoked = true
    for (const s of this.sessions.values()) if (s.refreshToken === token) s.revoked = true
    return true
  }

  expireAllSessions(): number {
    let count = 0
    for (const session of this.sessions.values()) {
      if (!session.revoked && session.expiresAt > this.now()) {
        session.expiresAt = this.now()
        count += 1
      }
    }
    return count
  }
}
