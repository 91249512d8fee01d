// The admin sees notification email's health (GET /api/admin/crm/mail-status) against a real SMTP server
// started here: a mail sent is counted with no error; a refusing server shows as failing with its refusal,
// the time and a hint that mails are retried; without SMTP_URL email is off and the hint says how to set it.
import type { MailStatus } from '../../../contracts/api/mail-status.api.js'
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
import { createMailer } from './mailer.js'
import { withoutCredentials } from './mail-status.js'

const status = async (admin: Client): Promise<MailStatus> => {
  const response = await admin.request({ method: 'GET', url: '/api/admin/crm/mail-status' })
  expect(response.statusCode).toBe(200)
  return response.json<MailStatus>()
}

describe('notification email status for the admin', () => {
  let smtp: SmtpTestServer
  let t: TestApp
  let admin: Client
  let ann: Client
  let bobId = ''
  let dealId = ''

  const mentionBob = async (text: string) => {
    const response = await ann.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed`,
      payload: { body: `${text} @{${bobId}}` },
    })
    expect(response.statusCode).toBe(201)
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer()
    const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'CRM <crm@example.com>' })
    t = await buildTestApp({ config, jobs: { mailer: createMailer(config.mail) } })
    const db = t.database.db
    const users = {
      admin: await t.createUser({ name: 'Ada', role: 'admin' }),
      ann: await t.createUser({ name: 'Ann' }),
      bob: await t.createUser({ name: 'Bob', email: 'bob@example.com' }),
    }
    bobId = users.bob.id
    const connection = await makeConnection(db)
    dealId = (await makeOpportunity(db, connection.id, { name: 'Acme' })).id
    await assignManually(db, users.ann.id, [dealId])
    await assignManually(db, users.bob.id, [dealId])
    await setCrmModuleEnabled(db, true)
    admin = await t.signIn(users.admin.email)
    ann = await t.signIn(users.ann.email)
    const bob = await t.signIn(users.bob.email)
    const chosen = await bob.request({
      method: 'PUT',
      url: '/api/notifications/preferences',
      payload: { preferences: [{ kind: 'mentioned', channel: 'email', timing: 'immediate' }] },
    })
    expect(chosen.statusCode).toBe(200)
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.close()
  })

  it('counts a mail sent, with no error and no hint', async () => {
    expect(await status(admin)).toMatchObject({
      configured: true,
      sender: 'CRM <crm@example.com>',
      state: 'working',
      counts: { sent: 0, failing: 0 },
      lastError: null,
      hint: null,
    })
    await mentionBob('Look')
    await smtp.waitForMessages(1)
    await waitFor(async () => expect((await status(admin)).counts.sent).toBe(1))
    expect(await status(admin)).toMatchObject({
      state: 'working',
      counts: { sent: 1, pending: 0, failing: 0, unconfirmed: 0, stalled: 0 },
      lastError: null,
      hint: null,
    })
  })

  it('shows a refusing SMTP server as failing, with the refusal, its time and that mails are retried', async () => {
    // Refuses every attempt of this test (pg-boss retries in the meantime).
    smtp.refuseNext(1_000)
    const before = Date.now()
    await mentionBob('Again')
    await waitFor(async () => expect((await status(admin)).counts.failing).toBeGreaterThanOrEqual(1))
    const failing = await status(admin)
    expect(failing).toMatchObject({ configured: true, state: 'failing', counts: { sent: 1 } })
    expect(failing.lastError?.message).toContain('Try again later (test refusal)')
    expect(new Date(failing.lastError?.at ?? 0).getTime()).toBeGreaterThanOrEqual(before - 1_000)
    expect(failing.hint).toMatch(/retried/)
    expect(smtp.messages).toHaveLength(1)
  })

  it('says email is off and how to turn it on without SMTP_URL', async () => {
    const off = await buildTestApp({ config: testConfig() })
    try {
      const offAdmin = await off.signIn((await off.createUser({ role: 'admin' })).email)
      const answer = await status(offAdmin)
      expect(answer).toMatchObject({ configured: false, sender: null, state: 'off', lastError: null })
      expect(answer.hint).toMatch(/SMTP_URL/)
    } finally {
      await off.close()
    }
  })

  it('looks back a week: an old stalled or unconfirmed mail does not keep the warning up', async () => {
    const quiet = await buildTestApp({ config: testConfig({ SMTP_URL: smtp.url }) })
    try {
      const db = quiet.database.db
      const user = await quiet.createUser()
      const deal = await makeOpportunity(db, (await makeConnection(db)).id)
      const quietAdmin = await quiet.signIn((await quiet.createUser({ role: 'admin' })).email)
      const notify = (daysAgo: number, mail: Record<string, unknown>) =>
        db
          .insertInto('crm_notifications')
          .values({
            user_id: user.id,
            kind: 'added',
            opportunity_id: deal.id,
            created_at: new Date(Date.now() - daysAgo * 86_400_000),
            email_timing: 'immediate',
            ...mail,
          })
          .execute()
      const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000)
      await notify(8, { emailed_at: eightDaysAgo, email_error: 'connection lost after DATA' })
      await notify(8, { email_claimed_at: eightDaysAgo })
      expect(await status(quietAdmin)).toMatchObject({
        state: 'working',
        days: 7,
        counts: { sent: 0, unconfirmed: 0, stalled: 0, pending: 0 },
        lastError: null,
      })
      await notify(1, { emailed_at: new Date(), email_error: 'connection lost after DATA' })
      expect(await status(quietAdmin)).toMatchObject({ state: 'unconfirmed', counts: { unconfirmed: 1 } })
    } finally {
      await quiet.close()
    }
  })

  it('removes credentials from URLs in an error text, keeping the host', () => {
    expect(withoutCredentials('connect to smtps://user:s3cr%2Ft@mail.example.com:465 failed')).toBe(
      'connect to smtps://mail.example.com:465 failed',
    )
    expect(withoutCredentials('Invalid login: 535 5.7.8 Authentication failed')).toBe(
      'Invalid login: 535 5.7.8 Authentication failed',
    )
  })
})
