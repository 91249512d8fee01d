// The read cache never shows a user something older than what they or anyone else committed: the user's own
// writes flush it at once, other connections' writes through change notifications, and a lost notification
// connection turns it off until it is back.
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type RawBuilder,
} from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../testing/crm-factories.js'
import '../testing/provided-context.js'
import { buildTestApp, manualClock, type Client, type TestApp } from '../testing/test-app.js'
import { waitFor } from '../testing/timing.js'
import type { Database } from '../storage/database.js'
import { createReadCache } from './read-cache.js'
import { watchSessionWrites } from './session-writes.js'

// Notifications on PostgreSQL arrive a moment after the commit: reads that must see another connection's
// write poll with waitFor(); reads that must come from memory first wait until the feed has delivered
// every earlier notification (t.changesDelivered()), so no late one flushes the cache in between.

describe('read cache with change notifications', () => {
  let t: TestApp
  let admin: Client
  let member: Client
  let memberId: string
  let connectionId: string
  let firstId: string

  beforeAll(async () => {
    // The clock stands still, so no session comes due for its once-a-minute "last seen" write mid-test.
    t = await buildTestApp({ readCache: true, clock: manualClock() })
    await waitFor(() => expect(t.deps.readCache.isActive()).toBe(true))
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

  /** A write no change notification reports: migration 0110's triggers are off for its transaction. */
  const writeUnnoticed = (statement: RawBuilder<unknown>) =>
    t.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx)
      await statement.execute(trx)
    })

  it("serves repeated reads from memory and shows the admin's assignment on the next read", async () => {
    const first = await makeOpportunity(t.database.db, connectionId, { name: 'First deal' })
    firstId = first.id
    await assignManually(t.database.db, memberId, [first.id])
    await t.changesDelivered()
    expect(await listNames()).toEqual(['First deal'])

    // The database now says otherwise, and nothing tells the cache: only a read from memory still shows
    // the old name, and it sends not one statement to the database (session included).
    await writeUnnoticed(sql`update crm_opportunities set name = 'Renamed unnoticed' where id = ${first.id}`)
    const statements = await t.queriesDuring(async () => expect(await listNames()).toEqual(['First deal']))
    expect(statements).toEqual([])

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
    // No waiting: this process's own write flushed the cache before its response was sent, so this read
    // goes to the database and sees the unnoticed rename too.
    expect(await listNames()).toEqual(['Renamed unnoticed', 'Second deal'])
  })

  it('shows a change committed by another connection (a sync worker) without a restart', async () => {
    await waitFor(async () => expect(await listNames()).toContain('Renamed unnoticed'))
    // Written past the HTTP layer, as a sync worker process would.
    await sql`update crm_opportunities set name = 'Renamed in Salesforce' where id = ${firstId}`.execute(
      t.database.db,
    )
    await waitFor(async () => expect(await listNames()).toContain('Renamed in Salesforce'))
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

  it("takes a role change from the admin at once, and keeps other users' sessions across other writes", async () => {
    const row = await t.createUser({ role: 'admin' })
    const second = await t.signIn(row.email)
    const users = () => second.request({ method: 'GET', url: '/api/admin/users' })
    // The notifications of the sign-in (users, last login) have flushed the cache before it is filled.
    await t.changesDelivered()
    expect((await users()).statusCode).toBe(200)
    const warm = await t.queriesDuring(async () => expect((await users()).statusCode).toBe(200))

    // A write that changes no user and ends no session (an assignment) leaves the session in memory: the
    // same read sends the same statements as before it (the list of users), with no session lookup added.
    const deal = await makeOpportunity(t.database.db, connectionId, { name: 'Third deal' })
    const added = await admin.request({
      method: 'POST',
      url: `/api/admin/crm/opportunities/${deal.id}/members`,
      payload: { userId: memberId },
    })
    expect(added.statusCode).toBe(200)
    await t.changesDelivered()
    expect(warm).toEqual(['SelectQueryNode'])
    expect(await t.queriesDuring(async () => expect((await users()).statusCode).toBe(200))).toEqual(warm)

    const demoted = await admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${row.id}`,
      payload: { role: 'member' },
    })
    expect(demoted.statusCode).toBe(200)
    // No waiting for the notification: the demotion flushed this process's sessions before it answered.
    const after = await users()
    expect(after.statusCode).toBe(403)
    expect(after.json().error.code).toBe('FORBIDDEN')
  })

  it('ends a cached session when another process deactivates the user', async () => {
    const row = await t.createUser({ role: 'member' })
    const victim = await t.signIn(row.email)
    const modules = () => victim.request({ method: 'GET', url: '/api/modules' })
    expect((await modules()).statusCode).toBe(200)
    await t.database.db.updateTable('users').set({ is_active: false }).where('id', '=', row.id).execute()
    await waitFor(async () => expect((await modules()).statusCode).toBe(401))
  })

  // PGlite runs in this process: there is no connection to lose.
  it.skipIf(!inject('testDatabaseUrl'))(
    'stops serving from memory while the notification connection is down, and resumes after',
    async () => {
      await waitFor(() => expect(t.deps.readCache.isActive()).toBe(true))
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and query ilike 'LISTEN%'`.execute(t.database.db)
      await waitFor(() => expect(t.deps.readCache.isActive()).toBe(false))
      // While it is down, every read goes to the database, so a direct write shows at once.
      await sql`update crm_opportunities set name = 'Renamed while offline' where name = 'Renamed in Salesforce'`.execute(
        t.database.db,
      )
      expect(await listNames()).toContain('Renamed while offline')
      await waitFor(() => expect(t.deps.readCache.isActive()).toBe(true))
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

  it('lets requests of a key wait for the read under way since the last flush', async () => {
    const cache = createReadCache({ enabled: true, maxBytes: 1_000_000 })
    cache.setLive(true)
    const key = 'user /api/crm/opportunities'
    expect(cache.pendingResponse(key)).toBeUndefined()
    const settle = cache.startResponse(key, cache.responseGeneration())
    // A second read of the same key announced meanwhile does not replace the first.
    const second = cache.startResponse(key, cache.responseGeneration())
    const waiting = cache.pendingResponse(key)
    expect(waiting).toBeDefined()
    settle('{"items":[1]}')
    expect(await waiting).toBe('{"items":[1]}')
    expect(cache.pendingResponse(key)).toBeUndefined()
    second('{"items":[2]}')
    expect(cache.pendingResponse(key)).toBeUndefined()
  })

  it('shares no read that started before a flush, nor one that gave no cacheable answer', async () => {
    const cache = createReadCache({ enabled: true, maxBytes: 1_000_000 })
    cache.setLive(true)
    const key = 'user /api/crm/opportunities'
    const before = cache.responseGeneration()
    cache.startResponse(key, before)
    cache.invalidate('crm_opportunities')
    expect(cache.pendingResponse(key)).toBeUndefined()
    // Announced with a generation a flush has already passed: not shared either.
    cache.startResponse(key, before)
    expect(cache.pendingResponse(key)).toBeUndefined()
    const settle = cache.startResponse(key, cache.responseGeneration())
    const waiting = cache.pendingResponse(key)
    settle(undefined)
    expect(await waiting).toBeUndefined()
  })
})

describe('scoped writes of this process', () => {
  it("flush the writer's scopes and every unscoped answer, and keep other answers", () => {
    const cache = createReadCache({ enabled: true, maxBytes: 1_000_000 })
    cache.setLive(true)
    const mark = cache.responseGeneration()
    cache.rememberResponse('ann feed x', '"x"', mark, ['u:ann', 'o:x'])
    cache.rememberResponse('bob feed x', '"x"', mark, ['u:bob', 'o:x'])
    cache.rememberResponse('ann feed y', '"y"', mark, ['u:ann', 'o:y'])
    cache.rememberResponse('ann bell', '"bell"', mark, ['u:ann', 'b:ann'])
    cache.rememberResponse('ann list', '"list"', mark)
    // Ann posted on deal X: the route names deal X's scope.
    cache.settleRequest(true, cache.sessionWriteMark(), ['o:x'])
    expect(cache.response('ann feed x')).toBeUndefined()
    expect(cache.response('bob feed x')).toBeUndefined()
    expect(cache.response('ann list')).toBeUndefined()
    expect(cache.response('ann feed y')).toBe('"y"')
    expect(cache.response('ann bell')).toBe('"bell"')
    // Any other write names no scopes: everything goes.
    cache.settleRequest(true, cache.sessionWriteMark())
    expect(cache.stats().responses).toBe(0)
  })
})

describe('statements that may change a cached session (session-writes.ts)', () => {
  // Compiled only: which statements count is decided from the query, before anything is sent.
  const cache = createReadCache({ enabled: true, maxBytes: 1_000_000 })
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }).withPlugin(watchSessionWrites(cache))
  const counts = (query: { compile(): unknown }) => {
    const mark = cache.sessionWriteMark()
    query.compile()
    return cache.sessionWriteMark() !== mark
  }

  it('counts every write of users and every delete of sessions', () => {
    expect(counts(db.updateTable('users').set({ role: 'member' }).where('id', '=', 'u1'))).toBe(true)
    expect(counts(db.updateTable('users as u').set({ is_active: false }))).toBe(true)
    expect(counts(db.insertInto('users').values({ email: 'a@example.com', name: 'A', role: 'member' }))).toBe(
      true,
    )
    expect(counts(db.deleteFrom('users').where('id', '=', 'u1'))).toBe(true)
    expect(counts(db.deleteFrom('sessions').where('user_id', '=', 'u1'))).toBe(true)
  })

  it('leaves out reads, new sessions, "last seen" stamps and the other tables', () => {
    expect(counts(db.selectFrom('users').selectAll())).toBe(false)
    expect(counts(db.updateTable('sessions').set({ last_seen_at: new Date() }))).toBe(false)
    expect(counts(db.deleteFrom('crm_opportunity_members').where('user_id', '=', 'u1'))).toBe(false)
    expect(counts(db.updateTable('crm_opportunities').set({ name: 'x' }))).toBe(false)
  })

  it('flushes the sessions after a request during which one was sent, the responses after any write', () => {
    const live = createReadCache({ enabled: true, maxBytes: 1_000_000 })
    live.setLive(true)
    const session = {} as Parameters<typeof live.rememberSession>[1]
    live.rememberSession('token', session, live.sessionGeneration())
    live.rememberResponse('key', '{}', live.responseGeneration())
    live.settleRequest(true, live.sessionWriteMark())
    expect(live.response('key')).toBeUndefined()
    expect(live.session('token')).toBe(session)
    const mark = live.sessionWriteMark()
    live.noteSessionWrite()
    live.settleRequest(false, mark)
    expect(live.session('token')).toBeUndefined()
  })
})
