// "Never sends twice" (issue 15 item 4), counted at a real SMTP server started here: two workers running the
// same email job at once send one message; a server that accepted the message and dropped the connection
// before answering is not sent to again (the job is not retried, and a retry that runs anyway sends nothing),
// the notification stays sent with "delivery not confirmed" in /metrics; a refusal (451), a server that never
// greets, and a failure while building the message (claim and day digest handed back) are sent once on the
// retry; two digest runs started at once send one digest. The pg-boss workers run meanwhile, as in production.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:net'

import { sql } from 'kysely'
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
import { sendDigests, sendImmediate } from './mail-jobs.js'
import { MAIL_QUEUE } from './mail-queue.js'
import { createMailer, failedSend, type Mailer } from './mailer.js'

describe('notification email is sent at most once', () => {
  let smtp: SmtpTestServer
  let t: TestApp
  let mailer: Mailer
  let ann: Client
  const ids = { deal: '', bob: '', cy: '' }

  const to = (address: string) =>
    smtp.messages.filter((m) => (m.to && 'text' in m.to ? m.to.text : '') === address)
  /** Ann mentions Bob (he chose email at once); returns the notification's id. */
  const mentionBob = async (text: string): Promise<string> => {
    const response = await ann.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.deal}/feed`,
      payload: { body: `${text} @{${ids.bob}}` },
    })
    expect(response.statusCode, response.body).toBe(201)
    const row = await t.database.db
      .selectFrom('crm_notifications')
      .select('id')
      .where('user_id', '=', ids.bob)
      .where('kind', '=', 'mentioned')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    return row.id
  }
  const notification = (id: string) =>
    t.database.db
      .selectFrom('crm_notifications')
      .select(['emailed_at', 'email_error', 'email_attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  /** Waits until the notification's pg-boss job has finished for good. */
  const jobCompleted = (notificationId: string) =>
    waitFor(async () => {
      const { rows } = await sql<{ state: string }>`
        select state from pgboss.job where name = ${MAIL_QUEUE} and singleton_key = ${notificationId}`.execute(
        t.database.db,
      )
      expect(rows.map((row) => row.state)).toEqual(['completed'])
    })

  beforeAll(async () => {
    smtp = await startSmtpTestServer()
    const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'CRM <crm@example.com>' })
    mailer = createMailer(config.mail) as Mailer
    t = await buildTestApp({ config, jobs: { mailer } })
    const db = t.database.db
    const a = await t.createUser({ name: 'Ann' })
    const bob = await t.createUser({ name: 'Bob', email: 'bob@example.com' })
    const cy = await t.createUser({ name: 'Cy', email: 'cy@example.com' })
    ids.bob = bob.id
    ids.cy = cy.id
    const connection = await makeConnection(db)
    ids.deal = (await makeOpportunity(db, connection.id, { name: 'Acme' })).id
    await assignManually(db, a.id, [ids.deal])
    await assignManually(db, bob.id, [ids.deal])
    await assignManually(db, cy.id, [ids.deal])
    await setCrmModuleEnabled(db, true)
    ann = await t.signIn(a.email)
    const choose = async (client: Client, kind: string, timing: string) => {
      const response = await client.request({
        method: 'PUT',
        url: '/api/notifications/preferences',
        payload: { preferences: [{ kind, channel: 'email', timing }] },
      })
      expect(response.statusCode).toBe(200)
    }
    await choose(await t.signIn(bob.email), 'mentioned', 'immediate')
    await choose(await t.signIn(cy.email), 'new_post', 'digest')
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.close()
  })

  it('sends once when two workers run the same email job at once', async () => {
    const before = to('bob@example.com').length
    const id = await mentionBob('Two workers')
    // Two more runs of the job beside the one pg-boss starts.
    await Promise.all([sendImmediate(t.deps, mailer, id), sendImmediate(t.deps, mailer, id)])
    await jobCompleted(id)
    expect(to('bob@example.com').length - before).toBe(1)
    expect((await notification(id)).emailed_at).not.toBeNull()
  })

  it('does not send again after the server took the message and dropped the connection', async () => {
    const before = to('bob@example.com').length
    smtp.dropAfterDataNext(1)
    const id = await mentionBob('Dropped after DATA')
    await jobCompleted(id)
    // A retry that runs anyway (a second job, a restart) finds it sent.
    await sendImmediate(t.deps, mailer, id)
    expect(to('bob@example.com').length - before).toBe(1)
    const row = await notification(id)
    expect(row.emailed_at).not.toBeNull()
    expect(row.email_error).toMatch(/^Delivery not confirmed: /)
    const metrics = await t.anonymous().request({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/crm_notification_emails\{state="unconfirmed"\} 1\b/)
  })

  it('retries a refused message and sends it once', async () => {
    const before = to('bob@example.com').length
    smtp.refuseNext(1)
    const id = await mentionBob('Refused once')
    await jobCompleted(id)
    expect(to('bob@example.com').length - before).toBe(1)
    expect(await notification(id)).toMatchObject({ email_attempts: 1, email_error: null })
  })

  it('sends one digest when two digest runs start at once', async () => {
    for (const body of ['First update', 'Second update']) {
      const response = await ann.request({
        method: 'POST',
        url: `/api/crm/opportunities/${ids.deal}/feed`,
        payload: { body },
      })
      expect(response.statusCode).toBe(201)
    }
    const sent = await Promise.all([sendDigests(t.deps, mailer), sendDigests(t.deps, mailer)])
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1)
    const digests = to('cy@example.com')
    expect(digests).toHaveLength(1)
    expect(digests[0]?.text).toContain('First update')
    expect(digests[0]?.text).toContain('Second update')
    // And a third run the same day sends nothing.
    expect(await sendDigests(t.deps, mailer)).toBe(0)
    expect(to('cy@example.com')).toHaveLength(1)
  })

  it('shows a claim whose sender stopped before reporting back as stalled in /metrics', async () => {
    const stalled = async () => {
      const metrics = await t.anonymous().request({ method: 'GET', url: '/metrics' })
      return Number(/crm_notification_emails\{state="stalled"\} (\d+)/.exec(metrics.body)?.[1])
    }
    expect(await stalled()).toBe(0)
    const response = await ann.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.deal}/feed`,
      payload: { body: 'Waits for tomorrow' },
    })
    expect(response.statusCode).toBe(201)
    // Cy's new digest item, as a digest run that died 20 minutes ago after claiming it would leave it.
    await t.database.db
      .updateTable('crm_notifications')
      .set({ email_claimed_at: new Date(Date.now() - 20 * 60_000) })
      .where('user_id', '=', ids.cy)
      .where('emailed_at', 'is', null)
      .execute()
    expect(await stalled()).toBe(1)
  })

  it('tells a refused connection (sent again later) from a lost one (not sent again)', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused before any message is handed over.
    const nowhere = createMailer(testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }).mail) as Mailer
    const mail = { to: 'x@example.com', subject: 's', text: 't', html: '<p>t</p>', headers: {} }
    const refusedConnection = await nowhere.send(mail).then(
      () => undefined,
      (err: unknown) => err,
    )
    nowhere.close()
    expect(failedSend(refusedConnection)).toBe('not_sent')
    expect(failedSend(Object.assign(new Error('451 later'), { responseCode: 451 }))).toBe('refused')
    expect(failedSend(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }))).toBe(
      'unconfirmed',
    )
    // Raised before the message is handed over: sent again later.
    const err = (fields: object) => Object.assign(new Error('failed'), fields)
    expect(failedSend(err({ code: 'EAUTH', command: 'AUTH PLAIN' }))).toBe('not_sent')
    expect(failedSend(err({ code: 'ETLS', command: 'STARTTLS' }))).toBe('not_sent')
    expect(failedSend(err({ code: 'ECONFIG' }))).toBe('not_sent')
    const certificate = { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', command: 'CONN' }
    expect(failedSend(err(certificate))).toBe('not_sent')
    // Inactivity or a reset can strike after DATA: not sent again.
    const idle = { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' }
    expect(failedSend(err(idle))).toBe('unconfirmed')
    expect(failedSend(err({ code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' }))).toBe(
      'unconfirmed',
    )
  })

  it('sends again later a message whose server never greeted (nothing was handed over)', async () => {
    // A TCP server that accepts and stays silent: nodemailer gives up with GREETING_TIMEOUT.
    const silent: Server = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    const url = `smtp://127.0.0.1:${port}?greetingTimeout=200`
    const mute = createMailer(testConfig({ SMTP_URL: url }).mail) as Mailer
    const id = await unqueuedCopy()
    const failed = await sendImmediate(t.deps, mute, id).then(
      () => undefined,
      (err: unknown) => err,
    )
    mute.close()
    await new Promise((resolve) => silent.close(resolve))
    expect(failed).toMatchObject({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' })
    expect(failedSend(failed)).toBe('not_sent')
    expect(await notification(id)).toMatchObject({ emailed_at: null, email_attempts: 1 })
    // The retry, with the server back, sends it once.
    const before = to('bob@example.com').length
    await sendImmediate(t.deps, mailer, id)
    await sendImmediate(t.deps, mailer, id)
    expect(to('bob@example.com').length - before).toBe(1)
  })

  it('hands the claim back when building the message fails, so the retry sends it', async () => {
    // The master key cannot seal the unsubscribe token (a failing dependency, given as the jobs get it).
    const broken = { ...t.deps, secrets: { ...t.deps.secrets, seal: () => failSeal() } }
    const id = await unqueuedCopy()
    await expect(sendImmediate(broken, mailer, id)).rejects.toThrow('sealing failed')
    const before = to('bob@example.com').length
    await sendImmediate(t.deps, mailer, id)
    expect(to('bob@example.com').length - before).toBe(1)
    expect((await notification(id)).emailed_at).not.toBeNull()
  })

  it('hands the day digest back when building it fails, so a later run sends it', async () => {
    const broken = { ...t.deps, secrets: { ...t.deps.secrets, seal: () => failSeal() } }
    const response = await ann.request({
      method: 'POST',
      url: `/api/crm/opportunities/${ids.deal}/feed`,
      payload: { body: 'Built on the second try' },
    })
    expect(response.statusCode).toBe(201)
    // The earlier tests sent today's digest and left an item claimed: start this day afresh.
    await t.database.db.deleteFrom('crm_mail_digests').where('user_id', '=', ids.cy).execute()
    await t.database.db
      .updateTable('crm_notifications')
      .set({ email_claimed_at: null })
      .where('user_id', '=', ids.cy)
      .where('emailed_at', 'is', null)
      .execute()
    const before = to('cy@example.com').length
    await expect(sendDigests(broken, mailer)).rejects.toThrow('sealing failed')
    expect(await sendDigests(t.deps, mailer)).toBe(1)
    const digests = to('cy@example.com').slice(before)
    expect(digests).toHaveLength(1)
    expect(digests[0]?.text).toContain('Built on the second try')
  })

  function failSeal(): never {
    throw new Error('sealing failed')
  }
  /** A copy of Bob's latest mention that no pg-boss job will send (the tests call the sender themselves). */
  async function unqueuedCopy(): Promise<string> {
    const db = t.database.db
    const latest = await db
      .selectFrom('crm_notifications')
      .selectAll()
      .where('user_id', '=', ids.bob)
      .where('kind', '=', 'mentioned')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    const copy = { ...latest, id: randomUUID(), emailed_at: null, email_error: null, email_attempts: 0 }
    await db
      .insertInto('crm_notifications')
      .values({ ...copy, email_claimed_at: null })
      .execute()
    return copy.id
  }
})
