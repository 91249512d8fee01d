// The read cache never shows a user something older than what they or anyone else committed: the user's own
// writes flush it at once, other connections' writes through change notifications, and a lost notification
// connection turns it off until it is back.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../testing/crm-factories.js'
import '../testing/provided-context.js'
import { buildTestApp, type Client, type TestApp } from '../testing/test-app.js'
import { createReadCache } from './read-cache.js'

/** Polls until `check` passes; notifications on PostgreSQL arrive a moment after the commit. */
async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

describe('read cache with change notifications', () => {
  let t: TestApp
  let admin: Client
  let member: Client
  let memberId: string
  let connectionId: string

  beforeAll(async () => {
    t = await buildTestApp({ readCache: true })
    await eventually(async () => expect(t.deps.readCache.isActive()).toBe(true))
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const row = await t.createUser({ role: 'member' })
    memberId = row.id
    member = await t.signIn(row.email)
    await setCrmModuleEnabled(t.database.db, true)
    connectionId = (await makeConnection(t.database.db)).id
  })
  afterAll(() => t.close())

  const listNames = async () => {
    const response = await member.request({ method: 'GET', url: '/api/crm/opportunities' })
    expect(response.statusCode).toBe(200)
    return response.json<{ items: Array<{ name: string }> }>().items.map((item) => item.name)
  }

  it("serves repeated reads from memory and shows the admin's assignment on the next read", async () => {
    const first = await makeOpportunity(t.database.db, connectionId, { name: 'First deal' })
    await assignManually(t.database.db, memberId, [first.id])
    await eventually(async () => expect(await listNames()).toEqual(['First deal']))
    const cachedBefore = t.deps.readCache.stats().responses
    expect(cachedBefore).toBeGreaterThan(0)
    expect(await listNames()).toEqual(['First deal'])

    const second = await makeOpportunity(t.database.db, connectionId, {
      name: 'Second deal',
      close_date: '2099-01-01',
    })
    const added = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${second.id}/members`,
      payload: { userId: memberId },
    })
    expect(added.statusCode).toBe(200)
    // No waiting: this process's own write flushed the cache before its response was sent.
    expect(await listNames()).toEqual(['First deal', 'Second deal'])
  })

  it('shows a change committed by another connection (a sync worker) without a restart', async () => {
    await eventually(async () => expect(await listNames()).toContain('First deal'))
    // Written past the HTTP layer, as a sync worker process would.
    await sql`update crm_opportunities set name = 'Renamed in Salesforce' where name = 'First deal'`.execute(
      t.database.db,
    )
    await eventually(async () => expect(await listNames()).toContain('Renamed in Salesforce'))
  })

  it('ends a cached session at once when the admin deactivates the user', async () => {
    const row = await t.createUser({ role: 'member' })
    const victim = await t.signIn(row.email)
    const modules = () => victim.request({ method: 'GET', url: '/api/modules' })
    expect((await modules()).statusCode).toBe(200)
    expect((await modules()).statusCode).toBe(200)
    const deactivated = await admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${row.id}`,
      payload: { isActive: false },
    })
    expect(deactivated.statusCode).toBe(200)
    const after = await modules()
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('SESSION_EXPIRED')
  })

  it('ends a cached session when another process deactivates the user', async () => {
    const row = await t.createUser({ role: 'member' })
    const victim = await t.signIn(row.email)
    const modules = () => victim.request({ method: 'GET', url: '/api/modules' })
    expect((await modules()).statusCode).toBe(200)
    await t.database.db.updateTable('users').set({ is_active: false }).where('id', '=', row.id).execute()
    await eventually(async () => expect((await modules()).statusCode).toBe(401))
  })

  // PGlite runs in this process: there is no connection to lose.
  it.skipIf(!inject('testDatabaseUrl'))(
    'stops serving from memory while the notification connection is down, and resumes after',
    async () => {
      await eventually(async () => expect(t.deps.readCache.isActive()).toBe(true))
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and query ilike 'LISTEN%'`.execute(t.database.db)
      await eventually(async () => expect(t.deps.readCache.isActive()).toBe(false))
      // While it is down, every read goes to the database, so a direct write shows at once.
      await sql`update crm_opportunities set name = 'Renamed while offline' where name = 'Renamed in Salesforce'`.execute(
        t.database.db,
      )
      expect(await listNames()).toContain('Renamed while offline')
      await eventually(async () => expect(t.deps.readCache.isActive()).toBe(true), 10_000)
    },
  )
})

describe('read cache generations', () => {
  it('does not store an answer read while a change came in', () => {
    const cache = createReadCache({ enabled: true, maxBytes: 1_000_000 })
    cache.setLive(true)
    const before = cache.responseGeneration()
    cache.invalidate('crm_opportunities')
    cache.rememberResponse('user /api/crm/opportunities', '{"items":[]}', before)
    expect(cache.response('user /api/crm/opportunities')).toBeUndefined()
    cache.rememberResponse('user /api/crm/opportunities', '{"items":[]}', cache.responseGeneration())
    expect(cache.response('user /api/crm/opportunities')).toBe('{"items":[]}')
  })

  it('keeps nothing while disabled by configuration', () => {
    const cache = createReadCache({ enabled: false, maxBytes: 1_000_000 })
    cache.setLive(true)
    cache.rememberResponse('key', '{}', cache.responseGeneration())
    expect(cache.response('key')).toBeUndefined()
  })
})
