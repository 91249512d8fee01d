// An access token for the demo org's integration user, through the OAuth username-password grant, for tests
// that call the emulator's REST resources with plain fetch or raw sockets.
import type { RunningEmulator } from '../start-emulator.js'

export async function passwordGrant(
  emulator: Pick<RunningEmulator, 'url' | 'credentials'>,
): Promise<{ status: number; body: Record<string, string> }> {
  const c = emulator.credentials
  const response = await fetch(`${emulator.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: c.consumerKey,
      client_secret: c.consumerSecret,
      username: c.username,
      password: c.password + c.securityToken,
    }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

export async function accessToken(emulator: Pick<RunningEmulator, 'url' | 'credentials'>): Promise<string> {
  const { status, body } = await passwordGrant(emulator)
  if (status !== 200 || !body['access_token'])
    throw new Error(`password grant failed: ${JSON.stringify(body)}`)
  return body['access_token']
}
