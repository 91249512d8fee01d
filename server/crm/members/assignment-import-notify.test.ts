// Imported assignments tell each person added, as the admin's single add does: an 'added' notification per
// opportunity with the admin as actor, and the bell's live event on the person's open stream; a dry run tells
// nobody, and neither does a file with a bad line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeConnection, makeOpportunity, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { openSse, type SseStream } from '../../testing/sse-client.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'

describe('notifications for imported assignments', () => {
  let t: TestApp
  let base = ''
  let admin: Client
  let ann: Client
  let adminId = ''
  let ids: string[] = []
  const streams: SseStream[] = []
  const notificationRows = () =>
    t.database.db.selectFrom('crm_notifications').select(['user_id', 'kind', 'opportunity_id']).execute()
  const importCsv = async (csv: string, dryRun: boolean) => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/opportunities/members/import',
      payload: { csv, dryRun },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ added: number; errors: unknown[] }>()
  }

  beforeAll(async () => {
    t = await buildTestApp({ live: true, config: testConfig({ LIVE_HEARTBEAT_SECONDS: '1' }) })
    base = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const adminUser = await t.createUser({ role: 'admin', email: 'root@example.com' })
    adminId = adminUser.id
    admin = await t.signIn(adminUser.email)
    ann = await t.signIn((await t.createUser({ email: 'ann@example.com' })).email)
    const connectionId = (await makeConnection(t.database.db)).id
    ids = [
      (await makeOpportunity(t.database.db, connectionId)).id,
      (await makeOpportunity(t.database.db, connectionId)).id,
    ]
    await setCrmModuleEnabled(t.database.db, true)
  })
  afterAll(async () => {
    for (const stream of streams) stream.close()
    await t?.close()
  })

  it('tells nobody on a dry run or a refused file, and each person added once the import writes', async () => {
    const stream = await openSse(`${base}/api/live`, { cookie: ann.cookie ?? '' })
    streams.push(stream)
    await waitFor(() => expect(stream.events.some(({ event }) => event.type === 'ready')).toBe(true))

    const good = `email,opportunity_id\nann@example.com,${ids[0]}\nann@example.com,${ids[1]}\n`
    expect(await importCsv(good, true)).toMatchObject({ added: 2, errors: [] })
    expect(await importCsv(`${good}nobody@example.com,${ids[0]}\n`, false)).toMatchObject({ added: 0 })
    expect(await notificationRows()).toEqual([])

    // Adding oneself tells no one, as with the single add.
    const result = await importCsv(`${good}root@example.com,${ids[0]}\n`, false)
    expect(result).toMatchObject({ added: 3, errors: [] })
    const rows = await notificationRows()
    expect(rows.map((row) => row.opportunity_id).sort()).toEqual([...ids].sort())
    expect(rows.every((row) => row.kind === 'added')).toBe(true)

    const bell = await ann.request({ method: 'GET', url: '/api/notifications' })
    expect(bell.json()).toMatchObject({
      unreadCount: 2,
      notifications: [
        { kind: 'added', actor: { id: adminId } },
        { kind: 'added', actor: { id: adminId } },
      ],
    })
    await waitFor(() =>
      expect(stream.events.map(({ event }) => event)).toContainEqual({
        type: 'notifications',
        unreadCount: 2,
      }),
    )
    expect(stream.events.some(({ event }) => event.type === 'membership')).toBe(true)
  })
})
