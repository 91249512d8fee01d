// "Connect my Salesforce account" as a member does it, against the emulator: start from the portal, fill in
// Salesforce's login page (the emulator's consent form, its hidden fields included), follow the callback. And
// what a test checks afterwards: the link's stored tokens, and whether Salesforce still takes the refresh token.
import { refreshGrant } from '../../emulator/testing/access-token.js'
import type { UserLinkTokens } from '../crm/connection/oauth-connect.js'
import { userLinkContext } from '../crm/connection/secret-binding.js'
import type { RunningEmulator } from './emulator-fixture.js'
import type { Client, TestApp } from './test-app.js'

export interface SalesforceLogin {
  username: string
  password: string
}

/** Starts the flow for `client`; the authorize URL the portal sends the browser to. */
export async function startAccountLink(client: Client): Promise<URL> {
  const started = await client.request({ method: 'POST', url: '/api/crm/salesforce-account/connect' })
  if (started.statusCode !== 200) throw new Error(`connect refused: ${started.statusCode} ${started.body}`)
  return new URL(started.json<{ authorizeUrl: string }>().authorizeUrl)
}

/** Salesforce's login page filled in and submitted; the redirect back to our callback. */
export async function logInAtSalesforce(
  emulator: RunningEmulator,
  authorizeUrl: URL,
  login: SalesforceLogin,
  overrides: Record<string, string> = {},
): Promise<URL> {
  const form = new URLSearchParams({
    ...Object.fromEntries(authorizeUrl.searchParams),
    ...login,
    decision: 'allow',
    ...overrides,
  })
  const response = await fetch(`${emulator.url}/services/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  })
  if (response.status !== 302) throw new Error(`the login page answered ${response.status}`)
  return new URL(response.headers.get('location') ?? '')
}

/** The whole flow; returns where the callback sent the browser. */
export async function connectAccount(
  emulator: RunningEmulator,
  client: Client,
  login: SalesforceLogin,
): Promise<string | undefined> {
  const back = await logInAtSalesforce(emulator, await startAccountLink(client), login)
  const done = await client.request({ method: 'GET', url: `${back.pathname}${back.search}` })
  return done.headers.location
}

export async function storedLinkTokens(t: TestApp, userId: string): Promise<UserLinkTokens> {
  const row = await t.database.db
    .selectFrom('crm_user_connections')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return JSON.parse(t.deps.secrets.open(row.encrypted_tokens, userLinkContext(row))) as UserLinkTokens
}

/** A refresh token grant at the emulator with the connected app's credentials: status and OAuth error. */
export async function refreshAtSalesforce(
  emulator: RunningEmulator,
  refreshToken: string,
): Promise<{ status: number; error: string | undefined }> {
  const { status, body } = await refreshGrant(emulator, refreshToken)
  return { status, error: body['error'] }
}
