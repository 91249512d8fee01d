// The edit route when its request body does not arrive whole, over a real socket against a listening server
// (app.inject always delivers the whole body): a body cut short and a body that stalls are answered with a
// clear error (or, when the client is gone, logged as the client's doing), no handler runs, so Salesforce gets
// no PATCH and no audit row or idempotency claim is written; the same edit sent whole afterwards is saved.
import { randomUUID } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { capturingLogger } from '../../testing/log-capture.js'
import { startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'
import { testConfig, type Client } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { listEditAudit, writeEditSettings } from './edits.repository.js'

interface RawAnswer {
  status: number
  headers: string
  body: string
}

describe('the edit route when the request body is cut or stalls', () => {
  const logs = capturingLogger()
  let s: SyncSetup
  let member: Client
  let port = 0
  let id = ''
  let seen = ''

  /** Headers for the whole body, then `bytes` of it; `then` says what the client does next. */
  function sendPartial(
    payload: string,
    bytes: number,
    then: 'half-close' | 'reset' | 'wait' | 'nothing',
  ): { socket: Socket; answer: Promise<RawAnswer> } {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const answer = new Promise<RawAnswer>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => chunks.push(chunk))
      socket.on('error', (err) => (then === 'reset' ? undefined : reject(err)))
      // The server closing its side is the end of the answer (Connection: close).
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const [head = '', body = ''] = text.split('\r\n\r\n')
        resolve({ status: Number(head.split(' ')[1] ?? 0), headers: head.toLowerCase(), body })
      })
    })
    socket.on('connect', () => {
      socket.write(
        [
          `PATCH /api/crm/opportunities/${id} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(payload)}`,
          `Cookie: ${member.cookie ?? ''}`,
          `X-CSRF-Token: ${member.session?.csrfToken ?? ''}`,
          'Connection: close',
          '',
          '',
        ].join('\r\n'),
      )
      socket.write(payload.slice(0, bytes), () => {
        if (then === 'half-close') socket.end()
        if (then === 'reset') socket.resetAndDestroy()
      })
    })
    return { socket, answer }
  }

  // One key for every attempt: the failed ones must leave it unclaimed for the whole one to be saved.
  const key = randomUUID()
  const editBody = () =>
    JSON.stringify({ idempotencyKey: key, lastModifiedDate: seen, values: { NextStep: 'Cut or stalled' } })
  const patches = async () =>
    (await s.emulator.control.requests()).filter((r) => r.method === 'PATCH' && r.path.includes(id)).length
  const claims = () =>
    s.t.database.db.selectFrom('crm_edit_requests').selectAll().where('opportunity_id', '=', id).execute()
  const expectNothingWritten = async () => {
    expect(await patches()).toBe(0)
    expect(await listEditAudit(s.t.database.db, id)).toEqual([])
    expect(await claims()).toEqual([])
    expect((await s.emulator.control.getRecord('Opportunity', id))['NextStep']).not.toBe('Cut or stalled')
  }

  beforeAll(async () => {
    // A short idle limit, so the stall test's answer comes soon; the test waits for it, never times it.
    const config = testConfig({ BODY_IDLE_TIMEOUT_MS: '400' })
    s = await startSyncSetup({ opportunities: 3, seed: 16 }, config, { log: logs.log })
    await setCrmModuleEnabled(s.t.database.db, true)
    expect(await syncNow(s.t, s.connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    const row = await s.t.database.db
      .selectFrom('crm_opportunities')
      .select(['id', 'last_modified_date'])
      .orderBy('id')
      .executeTakeFirstOrThrow()
    id = row.id
    const user = await s.t.createUser({ name: 'Ada Member' })
    member = await s.t.signIn(user.email)
    await assignManually(s.t.database.db, user.id, [id])
    const admin = s.admin.session?.user?.id ?? ''
    await writeEditSettings(
      s.t.database.db,
      { allowEdits: true, editableFields: ['NextStep'], whoMayEdit: 'members' },
      admin,
      new Date(),
    )
    const detail = await member.request({ method: 'GET', url: `/api/crm/opportunities/${id}` })
    seen = detail.json<{ opportunity: { lastModifiedDate: string } }>().opportunity.lastModifiedDate
    await s.t.app.listen({ host: '127.0.0.1', port: 0 })
    port = (s.t.app.server.address() as AddressInfo).port
  })
  beforeEach(() => s.emulator.control.clearRequests())
  afterAll(() => s?.close())

  it('answers a body cut short (half of its Content-Length, then the client closes) with 400 and writes nothing', async () => {
    const payload = editBody()
    const { answer } = sendPartial(payload, Math.floor(payload.length / 2), 'half-close')
    const { status, headers, body } = await answer
    expect(status).toBe(400)
    expect(headers).toContain('application/json')
    expect(JSON.parse(body)).toEqual({
      error: {
        code: 'MALFORMED_REQUEST',
        message: expect.stringMatching(/ended before its body was complete.*Nothing was saved/),
      },
    })
    await expectNothingWritten()
  })

  it('logs a body cut by a reset connection as the client leaving, not as a server fault, and writes nothing', async () => {
    const payload = editBody()
    const { answer } = sendPartial(payload, 40, 'reset')
    await answer
    await waitFor(() =>
      logs.lines.some((line) => line.includes('the client closed the connection before the request body')),
    )
    expect(logs.lines.filter((line) => line.includes('unhandled error'))).toEqual([])
    await expectNothingWritten()
  })

  it('answers a body that stalls with 408, closes the connection and writes nothing', async () => {
    const payload = editBody()
    // The client sends half and then nothing, with the connection open: the server must end it.
    const { answer } = sendPartial(payload, Math.floor(payload.length / 2), 'wait')
    const { status, headers, body } = await answer
    expect(status).toBe(408)
    expect(headers).toContain('connection: close')
    expect(JSON.parse(body)).toEqual({
      error: {
        code: 'REQUEST_TIMEOUT',
        message: expect.stringMatching(/stopped arriving.*Nothing was saved; send it again/),
      },
    })
    await expectNothingWritten()
  })

  it('saves the same edit sent whole over the same kind of socket, with the key the failures left unclaimed', async () => {
    const payload = editBody()
    const { answer } = sendPartial(payload, payload.length, 'nothing')
    const { status, body } = await answer
    expect(status, body).toBe(200)
    expect(await patches()).toBe(1)
    expect(await listEditAudit(s.t.database.db, id)).toHaveLength(1)
    expect((await s.emulator.control.getRecord('Opportunity', id))['NextStep']).toBe('Cut or stalled')
  })
})
