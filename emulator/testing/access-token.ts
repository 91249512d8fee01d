// An access token for the demo org's integration user, through the OAuth username-password grant, for tests
// that call the emulator's REST resources with plain fetch or raw sockets; and the refresh token flow.
import type { RunningEmulator } from '../start-emulator.js'

type Emulator = Pick<RunningEmulator, 'url' | 'credentials'>

/** A token request with the connected app's credentials and the grant's own parameters. */
async function tokenGrant(
  emulator: Emulator,
  grant: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const c = emulator.credentials
  const response = await fetch(`${emulator.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...grant, client_id: c.consumerKey, client_secret: c.consumerSecret }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

export function passwordGrant(emulator: Emulator): Promise<{ status: number; body: Record<string, string> }> {
  const c = emulator.credentials
  return tokenGrant(emulator, {
    grant_type: 'password',
    username: c.username,
    password: c.password + c.securityToken,
  })
}

/** The refresh token flow with `refreshToken` (a revoked one is 400 invalid_grant). */
export function refreshGrant(
  emulator: Emulator,
  refreshToken: string,
): Promise<{ status: number; body: Record<string, string> }> {
  return tokenGrant(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken })
}

export async function accessToken(emulator: Emulator): Promise<string> {
  const { status, body } = await passwordGrant(emulator)
  if (status !== 200 || !body['access_token'])
    throw new Error(`password grant failed: ${JSON.stringify(body)}`)
  return body['access_token']
}
