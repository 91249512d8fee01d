// Stored secrets follow no one: they are used only with the Web Services URL origin and Consumer Key they
// were entered for. A second listener on another port (a host the outbound guard allows, as any attacker-chosen
// host on the allow list would be) records everything sent to it.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { openCrmSession } from './crm-session.js'
import { bindLegacyConnectionSecrets } from './key-rotation.js'
import { openSecrets } from './secret-binding.js'

const noSync = { dispatch: async () => undefined, stop: async () => undefined }

async function startRecorder(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`)
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'not a Salesforce' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

describe('secrets bound to the origin and Consumer Key they were entered for', () => {
  let emulator: RunningEmulator
  let recorder: Awaited<ReturnType<typeof startRecorder>>
  let t: TestApp
  let admin: Client
  const empty = { password: '', securityToken: '', consumerSecret: '' }
  const secrets = () => {
    const c = emulator.credentials
    return [c.password, c.securityToken, c.consumerSecret]
  }
  const leakedTo = (seen: string[]) =>
    secrets().filter((secret) => seen.some((entry) => entry.includes(secret)))
  const connectionRow = () =>
    t.database.db.selectFrom('crm_connections').selectAll().orderBy('created_at').executeTakeFirstOrThrow()

  beforeAll(async () => {
    emulator = await startTestEmulator()
    recorder = await startRecorder()
    t = await buildTestApp({ syncDispatcher: noSync })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator),
    })
    expect(saved.json()).toMatchObject({ saved: true })
  })
  afterAll(async () => {
    await t?.close()
    await emulator?.close()
    await new Promise((resolve) => recorder?.server.close(resolve))
  })

  it('never sends a stored secret to a changed origin: Test Connection, Save and Connect with Salesforce ask for them again', async () => {
    const elsewhere = passwordSettings(emulator, { ...empty, webServicesUrl: recorder.url })
    for (const url of ['/api/admin/crm/connection/test', '/api/admin/crm/connection/oauth/start']) {
      const payload = url.endsWith('/start') ? { ...elsewhere, authMethod: 'authorization_code' } : elsewhere
      const response = await admin.request({ method: 'POST', url, payload })
      expect(response.statusCode, response.body).toBe(400)
      const error = response.json<{ error: { fields: Record<string, string> } }>().error
      expect(error.fields['consumerSecret']).toMatch(
        /Consumer Key changed, so every secret must be entered again/,
      )
    }
    const save = await admin.request({ method: 'PUT', url: '/api/admin/crm/connection', payload: elsewhere })
    expect(save.statusCode).toBe(400)
    expect(save.json().error.fields).toMatchObject({ password: expect.stringMatching(/entered again/) })
    expect(leakedTo(recorder.seen)).toEqual([])
    expect((await connectionRow()).login_url).toBe(emulator.url)

    // The listener does see what is typed in for it, so the check above could fail.
    const typed = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/test',
      payload: passwordSettings(emulator, { webServicesUrl: recorder.url }),
    })
    expect(typed.statusCode).toBe(200)
    expect(leakedTo(recorder.seen)).toContain(emulator.credentials.password)
  })

  it('asks for every secret again when the Consumer Key changes, and keeps them for a path change on the same origin', async () => {
    const otherApp = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/test',
      payload: passwordSettings(emulator, { ...empty, consumerKey: 'another-connected-app' }),
    })
    expect(otherApp.statusCode).toBe(400)
    expect(otherApp.json().error.message).toMatch(/entered again/)
    const samePlace = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/test',
      payload: passwordSettings(emulator, { ...empty, webServicesUrl: `${emulator.url}/` }),
    })
    expect(samePlace.json()).toMatchObject({ ok: true })
  })

  it('refuses secrets copied to another row or left behind after the host changed, with a reason for the admin', async () => {
    const row = await connectionRow()
    const copy = await t.database.db
      .insertInto('crm_connections')
      .values({
        provider: 'salesforce',
        auth_method: 'password',
        login_url: recorder.url,
        instance_url: recorder.url,
        consumer_key: row.consumer_key,
        encrypted_secrets: row.encrypted_secrets,
        created_at: new Date(row.created_at.getTime() + 1000),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await expect(openCrmSession(t.deps, copy.id)).rejects.toThrow(/do not belong to this Web Services URL/)
    await t.database.db.deleteFrom('crm_connections').where('id', '=', copy.id).execute()

    await t.database.db
      .updateTable('crm_connections')
      .set({ login_url: recorder.url })
      .where('id', '=', row.id)
      .execute()
    const before = recorder.seen.length
    try {
      const shown = await admin.request({ method: 'GET', url: '/api/admin/crm/connection' })
      expect(shown.statusCode).toBe(200)
      expect(shown.json().connection).toMatchObject({
        status: 'needs_attention',
        statusReason: expect.stringMatching(/do not belong/),
        statusHint: expect.stringMatching(/enter the Consumer Secret and the other secrets again/),
        storedSecrets: { password: false, consumerSecret: false },
      })
      const test = await admin.request({
        method: 'POST',
        url: '/api/admin/crm/connection/test',
        payload: passwordSettings(emulator, { ...empty, webServicesUrl: recorder.url }),
      })
      expect(test.statusCode).toBe(400)
      expect(test.json().error.message).toMatch(/do not belong/)
      expect(leakedTo(recorder.seen.slice(before))).toEqual([])
    } finally {
      await t.database.db
        .updateTable('crm_connections')
        .set({ login_url: row.login_url })
        .where('id', '=', row.id)
        .execute()
    }
  })

  it('binds secrets sealed before bindings existed to the row they are in, once', async () => {
    const row = await connectionRow()
    const stored = openSecrets(t.deps, row)
    await t.database.db
      .updateTable('crm_connections')
      .set({ encrypted_secrets: t.deps.secrets.seal(JSON.stringify(stored)) })
      .where('id', '=', row.id)
      .execute()
    await expect(openCrmSession(t.deps, row.id)).rejects.toThrow(/do not belong/)
    expect(await bindLegacyConnectionSecrets(t.database.db, t.deps.secrets)).toBe(1)
    expect(await bindLegacyConnectionSecrets(t.database.db, t.deps.secrets)).toBe(0)
    expect(openSecrets(t.deps, await connectionRow())).toEqual(stored)
    const { client } = await openCrmSession(t.deps, row.id)
    expect((await client.query('SELECT COUNT() FROM Opportunity')).totalSize).toBeGreaterThan(0)
  })
})
