// Users' own Salesforce links end with the org connection and with the user, revoked after commit by a pg-boss
// job against the emulator: an admin's Disconnect, a deactivation in the admin UI and one from SCIM; a link
// waiting while no job runtime ran is revoked on the next start; a 503 is retried, a refusal is audited once
// and not retried, the last attempt gives up audited. Salesforce then refuses each revoked refresh token
// (invalid_grant), and no token appears in a job, a log line or an audit entry.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { createJobQueue } from '../../jobs/job-queue.js'
import { setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { capturingLogger } from '../../testing/log-capture.js'
import { connectToEmulator, startSyncSetup, type SyncSetup } from '../../testing/sync-fixture.js'
import type { Client } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import {
  connectAccount,
  refreshAtSalesforce,
  storedLinkTokens,
  type SalesforceLogin,
} from '../../testing/user-link-fixture.js'
import { writeEditSettings } from '../edits/edits.repository.js'
import { LINK_REVOCATION_QUEUE, revokeWaitingLink, startLinkRevocationJobs } from './link-revocation.js'

const PEOPLE: SalesforceLogin[] = [
  { username: 'cleo.linked@org.test', password: 'cleo-sf-pass' },
  { username: 'dan.linked@org.test', password: 'dan-sf-pass' },
]
const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

describe('revoking users’ Salesforce links after commit', () => {
  let s: SyncSetup
  const logs = capturingLogger()
  const tokensSeen: string[] = []
  const members: { id: string; client: Client; login: SalesforceLogin }[] = []

  const db = () => s.t.database.db
  const links = () => db().selectFrom('crm_user_connections').select('user_id').execute()
  const waiting = () => db().selectFrom('crm_link_revocations').selectAll().execute()
  const audits = (action: string) =>
    db()
      .selectFrom('audit_events')
      .select(['target_id', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute()
  /** Connects every member's own account; returns each one's refresh token. */
  const connectAll = async (): Promise<string[]> => {
    const tokens: string[] = []
    for (const member of members) {
      expect(await connectAccount(s.emulator, member.client, member.login)).toBe(
        '/portal?salesforceAccount=connected',
      )
      const stored = await storedLinkTokens(s.t, member.id)
      tokensSeen.push(stored.refreshToken, stored.accessToken)
      tokens.push(stored.refreshToken)
    }
    return tokens
  }
  const accepted = async (refreshToken: string) =>
    (await refreshAtSalesforce(s.emulator, refreshToken)).status === 200
  const refused = (refreshToken: string) => refreshAtSalesforce(s.emulator, refreshToken)
  /** The admin turns the user off or on; on again, they sign in anew (deactivation ended their sessions). */
  const setActive = async (userId: string, isActive: boolean) => {
    const changed = await s.admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${userId}`,
      payload: { isActive },
    })
    expect(changed.statusCode, changed.body).toBe(200)
    const member = members.find((m) => m.id === userId)
    if (isActive && member)
      member.client = await s.t.signIn(changed.json<{ user: { email: string } }>().user.email)
  }
  const deactivate = (userId: string) => setActive(userId, false)
  const reactivate = (userId: string) => setActive(userId, true)

  beforeAll(async () => {
    s = await startSyncSetup({ opportunities: 2, seed: 1605 }, undefined, { log: logs.log, jobs: true })
    await setCrmModuleEnabled(db(), true)
    await writeEditSettings(
      db(),
      { allowEdits: true, editableFields: ['StageName', 'NextStep'], whoMayEdit: 'members' },
      s.admin.session?.user?.id ?? '',
      new Date(),
    )
    for (const [i, login] of PEOPLE.entries()) {
      await s.emulator.control.addUser({
        ...login,
        firstName: `Linked${i}`,
        lastName: 'User',
        securityToken: 't',
      })
      const user = await s.t.signInNew({ name: `Member ${i}` })
      members.push({ id: user.id, client: user.client, login })
    }
  })
  beforeEach(async () => {
    await s.emulator.control.clearFaults()
  })
  afterAll(() => s?.close())

  it("ends every user's link when an admin disconnects the org: deleted at once, revoked by the job", async () => {
    const tokens = await connectAll()
    for (const token of tokens) expect(await accepted(token)).toBe(true)
    const done = await s.admin.request({ method: 'DELETE', url: '/api/admin/crm/connection' })
    expect(done.statusCode, done.body).toBe(200)
    // Committed with the Disconnect: no link is left to edit with, and the job carries only the row's id.
    expect(await links()).toEqual([])
    const jobs = await s.t.database.db
      .withSchema('pgboss')
      .selectFrom('job' as never)
      .select(['data' as never])
      .where('name' as never, '=', LINK_REVOCATION_QUEUE as never)
      .execute()
    expect(jobs.length).toBe(2)
    for (const job of jobs) expect(Object.keys((job as { data: object }).data)).toEqual(['revocationId'])
    await waitFor(async () => expect(await waiting()).toEqual([]))
    for (const token of tokens) expect(await refused(token)).toEqual({ status: 400, error: 'invalid_grant' })
    const revoked = await audits('crm.salesforce_account.revoked')
    expect(revoked.map((a) => a.target_id).sort()).toEqual(members.map((m) => m.id).sort())
    expect(revoked.map((a) => (a.details as { reason: string }).reason)).toEqual([
      'connection_disconnected',
      'connection_disconnected',
    ])
    const [disconnected] = await audits('crm.connection.disconnected')
    expect(disconnected?.details).toMatchObject({ revoked: true, userLinks: 2 })
    await connectToEmulator(s.admin, s.emulator)
  })

  it('revokes the links of a user an admin deactivates, and only theirs', async () => {
    const [first, second] = await connectAll()
    const [leaver] = members
    await deactivate(leaver?.id ?? '')
    expect((await links()).map((l) => l.user_id)).toEqual([members[1]?.id])
    await waitFor(async () =>
      expect(await refused(first ?? '')).toEqual({ status: 400, error: 'invalid_grant' }),
    )
    await waitFor(async () => expect(await waiting()).toEqual([]))
    expect(await accepted(second ?? '')).toBe(true)
    const last = (await audits('crm.salesforce_account.revoked')).at(-1)
    expect(last).toMatchObject({
      target_id: leaver?.id,
      details: { reason: 'user_deactivated', outcome: 'revoked' },
    })
    await reactivate(leaver?.id ?? '')
  })

  it('revokes the links of a user the identity provider deactivates over SCIM', async () => {
    const [first] = await connectAll()
    const created = await s.admin.request({
      method: 'POST',
      url: '/api/admin/identity/scim/tokens',
      payload: { name: 'Identity provider' },
    })
    const scimToken = created.json<{ token: string }>().token
    const off = await s.t.app.inject({
      method: 'PATCH',
      url: `/scim/v2/Users/${members[0]?.id ?? ''}`,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({
        schemas: [SCIM_PATCH],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
    })
    expect(off.statusCode, off.body).toBe(200)
    await waitFor(async () =>
      expect(await refused(first ?? '')).toEqual({ status: 400, error: 'invalid_grant' }),
    )
    await waitFor(async () => expect(await waiting()).toEqual([]))
    await reactivate(members[0]?.id ?? '')
  })

  it('tries again after a 503 and revokes; a refusal is audited once and not retried', async () => {
    const [first, second] = await connectAll()
    await s.emulator.control.addFault({
      match: 'POST /services/oauth2/revoke',
      kind: 'unavailable',
      times: 1,
    })
    await deactivate(members[0]?.id ?? '')
    await waitFor(async () =>
      expect(await refused(first ?? '')).toEqual({ status: 400, error: 'invalid_grant' }),
    )
    await waitFor(async () => expect(await waiting()).toEqual([]))
    expect(logs.lines.join('\n')).toContain('trying again later')

    // 401 from the revoke endpoint: nothing asking again would change.
    await s.emulator.control.addFault({ match: 'POST /services/oauth2/revoke', kind: 'invalid_session' })
    await deactivate(members[1]?.id ?? '')
    await waitFor(async () => expect(await waiting()).toEqual([]))
    const [failed] = await audits('crm.salesforce_account.revoke_failed')
    expect(failed).toMatchObject({
      target_id: members[1]?.id,
      details: { outcome: 'refused', error: 'Salesforce did not confirm the revocation (HTTP 401).' },
    })
    const state = await s.emulator.control.state()
    const faults = state['faults'] as { kind: string; matched: number }[]
    expect(faults.find((f) => f.kind === 'invalid_session')).toMatchObject({ matched: 1 })
    // Not revoked: Salesforce still takes it (the admin revokes it in Salesforce, as the log line says).
    await s.emulator.control.clearFaults()
    expect(await accepted(second ?? '')).toBe(true)
    expect(logs.lines.join('\n')).toContain('Connected Apps OAuth Usage')
    await reactivate(members[0]?.id ?? '')
    await reactivate(members[1]?.id ?? '')
  })

  it('gives up, audited, on the last attempt when Salesforce stays unavailable', async () => {
    await s.emulator.control.addFault({ match: 'POST /services/oauth2/revoke', kind: 'unavailable' })
    const [first] = await connectAll()
    await deactivate(members[0]?.id ?? '')
    const [row] = await waitFor(async () => {
      const rows = await waiting()
      expect(rows.length).toBe(1)
      return rows
    })
    expect(await revokeWaitingLink(s.t.deps, row?.id ?? '', { retryCount: 8, retryLimit: 8 })).toBe('gave_up')
    expect(await waiting()).toEqual([])
    expect((await audits('crm.salesforce_account.revoke_failed')).at(-1)).toMatchObject({
      target_id: members[0]?.id,
      details: { outcome: 'gave_up', error: 'Salesforce did not confirm the revocation (HTTP 503).' },
    })
    await s.emulator.control.clearFaults()
    expect(await accepted(first ?? '')).toBe(true)
    await reactivate(members[0]?.id ?? '')
  })

  it('revokes on the next start what waited while no job runtime ran', async () => {
    const [first] = await connectAll()
    // A deactivation written by a process without jobs (the trigger alone): the row waits, unqueued.
    await db()
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', members[0]?.id ?? '')
      .execute()
    expect((await waiting()).map((r) => [r.user_id, r.queued_at])).toEqual([[members[0]?.id, null]])
    expect(await accepted(first ?? '')).toBe(true)
    const database = s.t.database
    const restarted = createJobQueue(
      database.url ? { url: database.url } : { executor: database.jobExecutor },
      { log: s.t.deps.log, retryDelaySeconds: 1 },
    )
    await restarted.start()
    try {
      await startLinkRevocationJobs({ ...s.t.deps, jobs: restarted }, restarted, {
        pollingIntervalSeconds: 0.5,
      })
      await waitFor(async () => expect(await waiting()).toEqual([]))
      expect(await refused(first ?? '')).toEqual({ status: 400, error: 'invalid_grant' })
    } finally {
      await restarted.stop()
    }
  })

  it('never puts a token in a log line, an audit entry or a job', async () => {
    const audit = await db().selectFrom('audit_events').select('details').execute()
    const jobs = await db()
      .withSchema('pgboss')
      .selectFrom('job' as never)
      .selectAll()
      .execute()
    const everything = [...logs.lines, JSON.stringify(audit), JSON.stringify(jobs)].join('\n')
    expect(tokensSeen.length).toBeGreaterThan(4)
    for (const token of tokensSeen) expect(everything).not.toContain(token)
  })
})
