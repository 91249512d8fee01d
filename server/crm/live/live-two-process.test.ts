// Two server processes on one PostgreSQL database (PostgreSQL only): this test's app and a second server
// in a child process (server/testing/live-child.ts). A post made through one reaches a stream opened on the
// other through LISTEN/NOTIFY; the member not on the deal receives nothing about it; a member removed on one
// process hears nothing more about the deal on a stream held by the other; a stream reopened on the other
// process with Last-Event-ID gets what it missed from the database.
import { spawn, type ChildProcess } from 'node:child_process'

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { openSse, type SseStream } from '../../testing/sse-client.js'
import { buildTestApp, TEST_PASSWORD, type Client, type TestApp } from '../../testing/test-app.js'
import { CHILD_PROCESS_WAIT_MS, waitFor } from '../../testing/timing.js'

describe.skipIf(!inject('testDatabaseUrl'))('live events across two server processes', () => {
  let t: TestApp
  let child: ChildProcess
  let childUrl = ''
  let parentUrl = ''
  const ids = { a: '', b: '', kept: '' }
  const users = { a: { id: '', email: '' }, b: { id: '', email: '' } }
  let poster: Client
  let admin: Client
  const streams: SseStream[] = []

  /** Signs in on the child server over HTTP; returns its session cookie. */
  const signInAt = async (url: string, email: string) => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    })
    expect(response.status).toBe(200)
    return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  }
  const open = async (url: string, cookie: string, headers: Record<string, string> = {}) => {
    const stream = await openSse(`${url}/api/live`, { cookie, ...headers })
    streams.push(stream)
    expect(stream.status).toBe(200)
    await waitFor(() => expect(stream.events.length).toBeGreaterThan(0))
    return stream
  }
  const post = async (opportunityId: string, body: string) => {
    const response = await poster.request({
      method: 'POST',
      url: `/api/crm/opportunities/${opportunityId}/feed`,
      payload: { body },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ post: { id: string } }>().post.id
  }
  const postIds = (stream: SseStream) =>
    stream.events.flatMap(({ event }) => (event.type === 'feed' ? [event.postId] : []))

  beforeAll(async () => {
    t = await buildTestApp({ live: true })
    parentUrl = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const db = t.database.db
    const [a, b, c] = [await t.createUser(), await t.createUser(), await t.createUser()]
    const adminRow = await t.createUser({ role: 'admin' })
    users.a = a
    users.b = b
    const connection = await makeConnection(db)
    ids.a = (await makeOpportunity(db, connection.id)).id
    ids.b = (await makeOpportunity(db, connection.id)).id
    ids.kept = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, a.id, [ids.a, ids.kept])
    await assignManually(db, b.id, [ids.b])
    await assignManually(db, c.id, [ids.a, ids.b, ids.kept])
    await setCrmModuleEnabled(db, true)
    poster = await t.signIn(c.email)
    admin = await t.signIn(adminRow.email)

    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/testing/live-child.ts', t.database.url ?? ''],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    childUrl = await waitFor(() => {
      const found = /listening (\S+)/.exec(output)?.[1]
      expect(found, output).toBeTruthy()
      return found ?? ''
    }, CHILD_PROCESS_WAIT_MS)
  })
  afterAll(async () => {
    for (const stream of streams) stream.close()
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    await t.close()
  })

  it("a post through this process reaches A's stream on the other, and B's stream learns nothing of it", async () => {
    const streamA = await open(childUrl, await signInAt(childUrl, users.a.email))
    const streamB = await open(childUrl, await signInAt(childUrl, users.b.email))
    const forA = await post(ids.a, 'For A, from the other process')
    await waitFor(() => expect(postIds(streamA)).toContain(forA))
    const forB = await post(ids.b, 'For B')
    await waitFor(() => expect(postIds(streamB)).toContain(forB))
    expect(JSON.stringify(streamB.events)).not.toContain(ids.a)
    expect(postIds(streamA)).not.toContain(forB)
  })

  it('a stream reopened on the other process with Last-Event-ID replays what was missed', async () => {
    const cookie = await signInAt(childUrl, users.a.email)
    const first = await open(childUrl, cookie)
    const lastId = first.lastEventId() ?? ''
    first.close()
    const missed = await post(ids.a, 'While A was away')
    // The parent never had a stream of A's open, so the replay can only come from the database.
    const again = await open(parentUrl, await signInAt(parentUrl, users.a.email), { 'last-event-id': lastId })
    await waitFor(() => expect(postIds(again)).toContain(missed))
  })

  it("once A is removed through this process, A's stream on the other hears nothing more of the deal", async () => {
    const streamA = await open(childUrl, await signInAt(childUrl, users.a.email))
    const before = await post(ids.a, 'Before A leaves')
    await waitFor(() => expect(postIds(streamA)).toContain(before))
    const removed = await admin.request({
      method: 'DELETE',
      url: `/api/admin/crm/opportunities/${ids.a}/members/${users.a.id}`,
    })
    expect(removed.statusCode, removed.body).toBeLessThan(300)
    await waitFor(() => expect(streamA.events.some(({ event }) => event.type === 'membership')).toBe(true))
    const after = await post(ids.a, 'After A left')
    // A post on a deal A keeps, made after the one A must not hear of: once it arrives, the other had its turn.
    const marker = await post(ids.kept, 'Still for A')
    await waitFor(() => expect(postIds(streamA)).toContain(marker))
    expect(postIds(streamA)).not.toContain(after)
    expect(JSON.stringify(streamA.events)).not.toContain('After A left')
    await assignManually(t.database.db, users.a.id, [ids.a])
  })
})
