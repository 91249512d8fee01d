// The server side of bench-portal.ts, run in a child process: opens the database named by the environment,
// migrates, seeds the portal data with set-based SQL (bench-seed.ts), then listens on a loopback port and reports to the parent over IPC.
import { sql } from 'kysely'
import pino from 'pino'

import { buildApp } from '../server/app.js'
import { followChanges } from '../server/cache/read-cache.js'
import { hashPassword } from '../server/auth/password.js'
import { loadConfig } from '../server/config.js'
import { createInProcessDispatcher } from '../server/crm/sync/sync-dispatch.js'
import { assembleDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openDatabase, type Db } from '../server/storage/open-database.js'
import { serveSyncRequests } from './bench-portal-sync.js'
import { BROAD_SEARCH_TERM, insertBenchConnection, seedOpportunities } from './bench-seed.js'

export const BENCH_PASSWORD = 'bench portal password'

export interface ServerReady {
  port: number
  memberEmail: string
  adminEmail: string
  opportunities: number
  users: number
  assignments: number
  memberAssignedCount: number
  seedSeconds: number
  /** What the admin types: account name stems and whole account names taken from the data, and one broad word. */
  searchTerms: string[]
}

export async function startBenchServer(opportunityCount: number): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production' })
  const database = await openDatabase(config.storage)
  await migrateToLatest(database.db)
  const started = performance.now()
  const counts = await seed(database.db, opportunityCount)
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10
  log(`seeded in ${seedSeconds} s`)

  const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'warn' }) })
  const changeFeed = await followChanges(deps.readCache, database)
  // The cache is seeded; a sync runs only in the during-sync phase, when the parent asks (bench-portal-sync.ts).
  const syncDispatcher = createInProcessDispatcher(deps, {})
  serveSyncRequests(deps, syncDispatcher)
  const { app } = await buildApp(deps, { syncDispatcher })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => changeFeed.close())
      .then(() => database.close())
      .finally(() => process.exit(0))
  })
  const ready: ServerReady = { port, ...counts, seedSeconds }
  process.send?.(ready)
}

async function seed(db: Db, opportunityCount: number) {
  // A database kept from an earlier run (`--keep`) is used as it is: seeding 1,000,000 rows takes a minute.
  const existing = await db.selectFrom('crm_connections').select('id').executeTakeFirst()
  if (existing) return describeSeed(db)
  await db.updateTable('module_settings').set({ enabled: true }).where('id', '=', 'crm').execute()
  const connectionId = await insertBenchConnection(db, 'bench')

  const passwordHash = await hashPassword(BENCH_PASSWORD)
  await db
    .insertInto('users')
    .values([
      { name: 'Bench Admin', email: 'admin@bench.example', role: 'admin', password_hash: passwordHash },
      { name: 'Bench Member', email: 'member@bench.example', role: 'member', password_hash: passwordHash },
    ])
    .execute()
  await sql`insert into users (name, email, role)
    select 'Bench User ' || n, 'user' || n || '@bench.example', 'member' from generate_series(1, 9998) n`.execute(
    db,
  )
  log('users: 10,000')

  await seedOpportunities(db, connectionId, opportunityCount, log)

  // Every generated user gets 10 opportunities; the bench member gets 60, so their first page is full.
  await sql`insert into crm_opportunity_members (user_id, opportunity_id, is_manual, manual_added_at)
    select u.id, '006BENCH' || lpad((1 + (u.n * 97 + k * 100003) % ${opportunityCount})::text, 10, '0'), true, now()
      from (select id, row_number() over (order by email) as n from users where email like 'user%') u
     cross join generate_series(0, 9) k
    on conflict do nothing`.execute(db)
  await sql`insert into crm_opportunity_members (user_id, opportunity_id, is_manual, manual_added_at)
    select u.id, '006BENCH' || lpad((1 + (k * 16661) % ${opportunityCount})::text, 10, '0'), true, now()
      from users u cross join generate_series(0, 59) k where u.email = 'member@bench.example'
    on conflict do nothing`.execute(db)
  await sql`analyze`.execute(db)
  return describeSeed(db)
}

async function describeSeed(db: Db) {
  const stats = await sql<{
    opportunities: number
    users: number
    assignments: number
    member: number
  }>`
    select (select count(*) from crm_opportunities) as opportunities,
           (select count(*) from users) as users,
           (select count(*) from crm_opportunity_members) as assignments,
           (select count(*) from crm_opportunity_members m join users u on u.id = m.user_id
              join crm_opportunities o on o.id = m.opportunity_id
             where u.email = 'member@bench.example' and not o.is_deleted) as member`.execute(db)
  const opportunityCount = stats.rows[0]!.opportunities
  const samples = await sql<{ account_name: string }>`
    select account_name from crm_opportunities
     where id in (${sql.join([1201, 23457, 98765, 345679, 567891, 777777, 888889, 999001].map((n) => `006BENCH${String(Math.min(n, opportunityCount)).padStart(10, '0')}`))})
     order by id`.execute(db)
  const stems = samples.rows.map((row) => row.account_name.split(' ')[0]!)
  const searchTerms = [
    ...stems.slice(0, 6),
    ...samples.rows.slice(6).map((row) => row.account_name),
    BROAD_SEARCH_TERM,
  ]
  const row = stats.rows[0]!
  log(`assignments: ${row.assignments.toLocaleString('en')}`)
  return {
    memberEmail: 'member@bench.example',
    adminEmail: 'admin@bench.example',
    opportunities: row.opportunities,
    users: row.users,
    assignments: row.assignments,
    memberAssignedCount: row.member,
    searchTerms,
  }
}

function log(message: string): void {
  console.log(`[bench server] ${message}`)
}
