// "Connect my Salesforce account" end to end against the emulator: the authorization code flow with PKCE for one
// workspace user (state and verifier checked, a wrong state refused), their edits written as their Salesforce
// user (LastModifiedBy in Salesforce, their own access refused in plain words), an unlinked member's as the
// integration user, a refused refresh token marking only that link, Disconnect revoking, a member reaching no
// one else's link, deactivation forgetting links, and no token in any answer or log line.
import { randomUUID } from 'node:crypto'

import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { capturingLogger } from '../../testing/log-capture.js'
import { startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'
import {
  connectAccount,
  logInAtSalesforce,
  refreshAtSalesforce,
  startAccountLink,
  storedLinkTokens,
} from '../../testing/user-link-fixture.js'
import { writeEditSettings } from './edits.repository.js'

const ADA = { username: 'ada.linked@org.test', password: 'ada-sf-pass' }

describe('connecting my Salesforce account', () => {
  let s: SyncSetup
  const logs = capturingLogger()
  const answers: string[] = []
  const tokensSeen: string[] = []
  let ada: Client
  let bo: Client
  let adaId = ''
  let adaSalesforceId = ''
  let ids: string[] = []

  const call = async (client: Client, options: Parameters<Client['request']>[0]) => {
    const response = await client.request(options)
    answers.push(response.body, JSON.stringify(response.headers))
    return response
  }
  const account = async (client: Client) =>
    (await call(client, { method: 'GET', url: '/api/crm/salesforce-account' })).json<{
      available: boolean
      link: { username: string | null; status: string; name: string | null } | null
    }>()
  const logIn = (authorizeUrl: URL, overrides: Record<string, string> = {}) =>
    logInAtSalesforce(s.emulator, authorizeUrl, ADA, overrides)
  const start = (client: Client) => startAccountLink(client)
  const callback = (client: Client, location: URL) =>
    call(client, { method: 'GET', url: `${location.pathname}${location.search}` })
  const connect = async (client: Client) => {
    expect(await connectAccount(s.emulator, client, ADA)).toBe('/portal?salesforceAccount=connected')
  }
  const storedTokens = (userId: string) => storedLinkTokens(s.t, userId)
  const edit = async (client: Client, id: string, values: Record<string, unknown>) => {
    const seen = await call(client, { method: 'GET', url: `/api/crm/opportunities/${id}` })
    const { lastModifiedDate } = seen.json<{ opportunity: { lastModifiedDate: string } }>().opportunity
    return call(client, {
      method: 'PATCH',
      url: `/api/crm/opportunities/${id}`,
      payload: { idempotencyKey: randomUUID(), lastModifiedDate, values },
    })
  }
  const lastModifiedBy = async (id: string) =>
    (await s.emulator.control.getRecord('Opportunity', id))['LastModifiedById']
  const errorOf = (response: LightMyRequestResponse) =>
    response.json<{ error: { code: string; message: string } }>().error

  beforeAll(async () => {
    s = await startSyncSetup({ opportunities: 8, seed: 165 }, undefined, { log: logs.log })
    const db = s.t.database.db
    await setCrmModuleEnabled(db, true)
    expect(await syncNow(s.t, s.connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    ids = (await db.selectFrom('crm_opportunities').select('id').orderBy('id').execute()).map((r) => r.id)
    const a = await s.t.createUser({ name: 'Ada Member' })
    const b = await s.t.createUser({ name: 'Bo Member' })
    adaId = a.id
    ada = await s.t.signIn(a.email)
    bo = await s.t.signIn(b.email)
    await assignManually(db, a.id, ids)
    await assignManually(db, b.id, ids)
    const admin = s.admin.session?.user?.id ?? ''
    await writeEditSettings(
      db,
      { allowEdits: true, editableFields: ['StageName', 'NextStep'], whoMayEdit: 'members' },
      admin,
      new Date(),
    )
    adaSalesforceId = (
      await s.emulator.control.addUser({ ...ADA, firstName: 'Ada', lastName: 'Lovelace', securityToken: 't' })
    ).id
  })
  beforeEach(async () => {
    // Salesforce's versions have whole seconds: each test starts in a new second.
    await s.emulator.control.advanceClock(2_000)
  })
  afterAll(() => s?.close())

  it('connects through Salesforce login with PKCE; a wrong state, another member or a wrong verifier is refused', async () => {
    expect(await account(ada)).toEqual({ available: true, reason: null, link: null })
    const authorizeUrl = await start(ada)
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(
      /\/api\/crm\/salesforce-account\/oauth\/callback$/,
    )
    const back = await logIn(authorizeUrl)
    const forged = new URL(back)
    forged.searchParams.set('state', 'not-the-state-we-sent')
    expect((await callback(ada, forged)).headers.location).toMatch(/salesforceAccountError=.*expired/)
    // Bo cannot finish Ada's login (the state was started by her), and the state is then used up.
    expect((await callback(bo, back)).headers.location).toMatch(/salesforceAccountError=/)
    expect((await callback(ada, back)).headers.location).toMatch(/salesforceAccountError=.*already%20used/)
    // A code issued for another challenge: the emulator refuses our verifier.
    const other = await logIn(await start(ada), { code_challenge: 'A'.repeat(43) })
    expect(decodeURIComponent((await callback(ada, other)).headers.location ?? '')).toMatch(
      /Salesforce refused the authorization code \(invalid code verifier\)/,
    )
    expect((await account(ada)).link).toBeNull()

    await connect(ada)
    expect((await account(ada)).link).toMatchObject({
      username: ADA.username,
      name: 'Ada Lovelace',
      status: 'connected',
    })
    expect((await account(bo)).link).toBeNull()
  })

  it("writes a linked member's edit as their Salesforce user, and an unlinked member's as the integration user", async () => {
    const [first = '', second = ''] = ids
    const mine = await edit(ada, first, { NextStep: 'Ada called the customer' })
    expect(mine.statusCode, mine.body).toBe(200)
    expect(await lastModifiedBy(first)).toBe(adaSalesforceId)
    const theirs = await edit(bo, second, { NextStep: 'Bo sent the quote' })
    expect(theirs.statusCode, theirs.body).toBe(200)
    expect(await lastModifiedBy(second)).toBe(s.emulator.org.integrationUserId)
    const audit = await s.t.database.db
      .selectFrom('crm_edit_audit')
      .select(['user_id', 'opportunity_id'])
      .execute()
    expect(audit).toEqual(
      expect.arrayContaining([
        { user_id: adaId, opportunity_id: first },
        { user_id: bo.session?.user?.id, opportunity_id: second },
      ]),
    )
  })

  it('says a linked member may not edit a record their Salesforce user cannot change (422), and writes nothing', async () => {
    const [, , third = ''] = ids
    await s.emulator.control.updateUser(ADA.username, { canEditOpportunities: false })
    const before = await s.emulator.control.getRecord('Opportunity', third)
    const refused = await edit(ada, third, { NextStep: 'Not allowed' })
    expect(refused.statusCode).toBe(422)
    expect(errorOf(refused)).toMatchObject({
      code: 'CRM_REJECTED',
      message: expect.stringMatching(/^You may not edit this opportunity in Salesforce/),
    })
    expect(await s.emulator.control.getRecord('Opportunity', third)).toEqual(before)
    await s.emulator.control.updateUser(ADA.username, { canEditOpportunities: true })
  })

  it('marks only the member’s link when Salesforce refuses their refresh token; the org connection stays healthy', async () => {
    const [, , , fourth = ''] = ids
    await s.emulator.control.revokeTokens({ username: ADA.username })
    await s.emulator.control.expireTokens()
    const refused = await edit(ada, fourth, { NextStep: 'After the revocation' })
    expect(refused.statusCode).toBe(503)
    expect(errorOf(refused).message).toMatch(/no longer accepts your connected Salesforce account/)
    expect((await account(ada)).link).toMatchObject({ status: 'needs_reconnect' })
    const connection = await call(s.admin, { method: 'GET', url: '/api/admin/crm/connection' })
    expect(connection.json().connection).toMatchObject({ status: 'healthy' })
    expect((await edit(bo, fourth, { NextStep: 'Bo still edits' })).statusCode).toBe(200)
    // Connecting again clears the mark and edits run as Ada once more.
    await connect(ada)
    expect((await account(ada)).link).toMatchObject({ status: 'connected' })
    expect((await edit(ada, fourth, { NextStep: 'Ada again' })).statusCode).toBe(200)
    expect(await lastModifiedBy(fourth)).toBe(adaSalesforceId)
  })

  it("lets no member see or delete another member's link", async () => {
    expect((await account(bo)).link).toBeNull()
    const deleted = await call(bo, { method: 'DELETE', url: '/api/crm/salesforce-account' })
    expect(deleted.json()).toMatchObject({ revoked: false, account: { link: null } })
    expect((await account(ada)).link).toMatchObject({ username: ADA.username, status: 'connected' })
  })

  it('revokes the refresh token on Disconnect: Salesforce refuses it afterwards, and edits run as the integration user', async () => {
    const [, , , , fifth = ''] = ids
    const { refreshToken } = await storedTokens(adaId)
    const refresh = () => refreshAtSalesforce(s.emulator, refreshToken)
    expect((await refresh()).status).toBe(200)
    const done = await call(ada, { method: 'DELETE', url: '/api/crm/salesforce-account' })
    expect(done.json()).toEqual({ revoked: true, account: { available: true, reason: null, link: null } })
    expect(await refresh()).toEqual({ status: 400, error: 'invalid_grant' })
    expect(await s.t.database.db.selectFrom('crm_user_connections').selectAll().execute()).toEqual([])
    expect((await edit(ada, fifth, { NextStep: 'As the integration user' })).statusCode).toBe(200)
    expect(await lastModifiedBy(fifth)).toBe(s.emulator.org.integrationUserId)
  })

  it('forgets the links of a deactivated workspace user', async () => {
    await connect(ada)
    const { refreshToken, accessToken } = await storedTokens(adaId)
    // These tokens are looked for in every answer and log line below.
    tokensSeen.push(refreshToken, accessToken)
    const off = await call(s.admin, {
      method: 'PATCH',
      url: `/api/admin/users/${adaId}`,
      payload: { isActive: false },
    })
    expect(off.statusCode, off.body).toBe(200)
    expect(await s.t.database.db.selectFrom('crm_user_connections').selectAll().execute()).toEqual([])
  })

  it('never returns or logs a token', () => {
    const everything = [...answers, ...logs.lines].join('\n')
    expect(tokensSeen.length).toBe(2)
    for (const token of tokensSeen) expect(everything).not.toContain(token)
    expect(everything).not.toMatch(/00D\w{12,15}![.\w]{20,}/)
    expect(everything).not.toMatch(/5Aep86[.\w]{20,}/)
    expect(logs.lines.join('\n')).toContain('their link needs reconnecting')
  })
})
