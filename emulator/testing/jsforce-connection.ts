// A jsforce connection signed in as the demo org's integration user with the OAuth username-password flow, for
// contract tests that drive the emulator through unmodified jsforce.
import jsforce from '@jsforce/jsforce-node'

import type { RunningEmulator } from '../start-emulator.js'

export async function jsforceConnection(
  emulator: Pick<RunningEmulator, 'url' | 'credentials'>,
  version: string,
): Promise<jsforce.Connection> {
  const c = emulator.credentials
  const conn = new jsforce.Connection({
    loginUrl: emulator.url,
    version,
    oauth2: { clientId: c.consumerKey, clientSecret: c.consumerSecret, loginUrl: emulator.url },
  })
  await conn.login(c.username, c.password + c.securityToken)
  return conn
}
