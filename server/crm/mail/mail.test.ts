// Notification email received by a real SMTP server started here: immediate email with one-click
// unsubscribe (RFC 8058) that works over HTTP without a session, escaped HTML, the daily digest once per
// day, nobody emailed who left or lost access, a refused delivery retried by pg-boss and visible meanwhile.
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { startSmtpTestServer, type SmtpTestServer } from '../../testing/smtp-test-server.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { DIGEST_QUEUE } from './mail-jobs.js'
import { createMailer } from './mailer.js'

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'

/** A header as it was sent (unfolded), without its name. */
function rawHeader(mail: ParsedMail | undefined, name: string): string {
  const line = mail?.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? ''
  return line
    .replace(/\r?\n\s+/g, ' ')
    .slice(name.length + 1)
    .trim()
}

describe('notification email', () => {
  let smtp: SmtpTestServer
  let t: TestApp
  let admin: Client
  let ann: Client
  let bob: Client
  const ids = { ann: '', bob: '', cy: '', dee: '' }
  let dealId = ''
  let otherDealId = ''
  let baseUrl = ''

  const choose = (client: Client, kind: string, channel: string, timing = 'immediate') =>
    client.request({
      method: 'PUT',
      url: '/api/notifications/preferences',
      payload: { preferences: [{ kind, channel, timing }] },
    })
  const post = async (client: Client, body: string, opportunityId = dealId) => {
    const response = await client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${opportunityId}/feed`,
      payload: { body },
    })
    expect(response.statusCode).toBe(201)
  }
  const notificationsOf = (userId: string) =>
    t.database.db
      .selectFrom('crm_notifications')
      .select(['id', 'kind', 'email_timing', 'emailed_at', 'email_skipped', 'email_attempts', 'email_error'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute()
  const runDigest = async () => {
    const boss = t.deps.jobs?.boss
    const jobId = (await boss?.send(DIGEST_QUEUE, {})) ?? ''
    await waitFor(async () => {
      const job = await boss?.getJobById(DIGEST_QUEUE, jobId)
      expect(job?.state).toBe('completed')
    })
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer()
    const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'CRM <crm@example.com>' })
    t = await buildTestApp({ config, jobs: { mailer: createMailer(config.mail) } })
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const db = t.database.db
    const users = {
      admin: await t.createUser({ name: 'Ada', role: 'admin' }),
      ann: await t.createUser({ name: 'Ann <b>' }),
      bob: await t.createUser({ name: 'Bob', email: 'bob@example.com' }),
      cy: await t.createUser({ name: 'Cy', email: 'cy@example.com' }),
      dee: await t.createUser({ name: 'Dee', email: 'dee@example.com' }),
    }
    ids.ann = users.ann.id
    ids.bob = users.bob.id
    ids.cy = users.cy.id
    ids.dee = users.dee.id
    const connection = await makeConnection(db)
    dealId = (await makeOpportunity(db, connection.id, { name: 'Acme <renewal>' })).id
    otherDealId = (await makeOpportunity(db, connection.id, { name: 'Globex' })).id
    await assignManually(db, ids.ann, [dealId, otherDealId])
    await assignManually(db, ids.bob, [dealId])
    await assignManually(db, ids.cy, [dealId])
    await assignManually(db, ids.dee, [dealId])
    await setCrmModuleEnabled(db, true)
    admin = await t.signIn(users.admin.email)
    ann = await t.signIn(users.ann.email)
    bob = await t.signIn(users.bob.email)
    const cy = await t.signIn(users.cy.email)
    const dee = await t.signIn(users.dee.email)
    expect((await choose(bob, 'mentioned', 'email')).statusCode).toBe(200)
    await choose(bob, 'added', 'email')
    await choose(cy, 'new_post', 'email', 'digest')
    await choose(dee, 'new_post', 'email', 'digest')
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.close()
  })

  it('emails a mention at once, escaped, with a link and one-click unsubscribe that works over HTTP', async () => {
    await post(ann, `Look @{${ids.bob}} ${XSS}`)
    const [mail] = await smtp.waitForMessages(1)
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('bob@example.com')
    expect(mail?.from?.value[0]).toMatchObject({ name: 'CRM', address: 'crm@example.com' })
    expect(mail?.subject).toBe('Ann <b> mentioned you on Acme <renewal>')
    expect(mail?.text).toContain(XSS)
    expect(mail?.text).toContain(`/portal/crm/opportunities/${dealId}`)
    const html = String(mail?.html)
    expect(html).not.toMatch(/<script|<img|<b>/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Acme &lt;renewal&gt;')
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    const link = /^<(https?:\/\/[^>\s]+)>$/.exec(rawHeader(mail, 'List-Unsubscribe'))?.[1] ?? ''
    expect(link).toContain('/api/mail/unsubscribe?token=')
    await waitFor(async () => expect((await notificationsOf(ids.bob))[0]?.emailed_at).not.toBeNull())

    // Following the link (or a scanner fetching it) changes nothing; the one-click POST does, with no cookie.
    const url = new URL(link)
    const target = `${baseUrl}${url.pathname}${url.search}`
    const page = await fetch(target)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form method="post"')
    const prefs = async () =>
      (await bob.request({ method: 'GET', url: '/api/notifications/preferences' })).json<{
        preferences: Array<{ kind: string; channel: string }>
      }>().preferences
    expect((await prefs()).find((p) => p.kind === 'mentioned')?.channel).toBe('email')
    const oneClick = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    expect((await prefs()).find((p) => p.kind === 'mentioned')?.channel).toBe('off')
    const forged = await fetch(`${baseUrl}/api/mail/unsubscribe?token=${encodeURIComponent('v1.x.y.z.w')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(forged.status).toBe(404)

    // Turned off: the next mention writes nothing and sends nothing.
    await post(ann, `Again @{${ids.bob}}`)
    expect((await notificationsOf(ids.bob)).filter((n) => n.kind === 'mentioned')).toHaveLength(1)
  })

  it('emails "added to an opportunity" when an admin assigns someone', async () => {
    const before = smtp.messages.length
    const response = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${otherDealId}/members`,
      payload: { userId: ids.bob },
    })
    expect(response.statusCode).toBeLessThan(300)
    const messages = await smtp.waitForMessages(before + 1)
    expect(messages.at(-1)?.subject).toBe('Ada added you to Globex')
  })

  it('sends the digest once a day, to nobody who left or lost access, and a failure is retried', async () => {
    await post(ann, 'First update')
    await post(ann, 'Second update')
    // Dee loses access before the digest goes out: her items are skipped, not sent.
    await t.database.db.deleteFrom('crm_opportunity_members').where('user_id', '=', ids.dee).execute()
    const before = smtp.messages.length
    smtp.refuseNext(1)
    await runDigest().catch(() => undefined)
    await waitFor(async () => {
      const pending = (await notificationsOf(ids.cy)).filter((n) => n.kind === 'new_post')
      expect(pending.every((n) => n.email_attempts >= 1 || n.emailed_at !== null)).toBe(true)
    })
    const messages = await smtp.waitForMessages(before + 1)
    const digest = messages.at(-1)
    expect(digest?.subject).toMatch(/^Your daily summary: \d+ updates$/)
    expect(digest?.text).toContain('First update')
    expect(digest?.text).toContain('Second update')
    expect(rawHeader(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    expect(rawHeader(digest, 'List-Unsubscribe')).toMatch(
      /^<http:\/\/[^>]+\/api\/mail\/unsubscribe\?token=[^>]+>$/,
    )
    const cyRows = await notificationsOf(ids.cy)
    // Refused once (451), kept and retried by pg-boss, then delivered.
    expect(cyRows.length).toBeGreaterThanOrEqual(2)
    for (const row of cyRows) expect([row.email_attempts, row.emailed_at !== null]).toEqual([1, true])
    expect((await notificationsOf(ids.dee)).map((n) => n.email_skipped)).toEqual(
      expect.arrayContaining(['no_access']),
    )
    expect(messages.filter((m) => (m.to && 'text' in m.to ? m.to.text : '') === 'dee@example.com')).toEqual(
      [],
    )

    // A second run the same day sends nothing more, even with new items waiting.
    await post(ann, 'Third update')
    await runDigest()
    expect(smtp.messages.length).toBe(before + 1)
  })

  it('counts sent and skipped email in /metrics', async () => {
    const metrics = await t.anonymous().request({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/crm_notification_emails\{state="sent"\} [1-9]/)
    expect(metrics.body).toMatch(/crm_notification_emails\{state="skipped"\} [1-9]/)
  })
})
