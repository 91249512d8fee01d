// The server side of bench-portal.ts, run in a child process: opens the database named by the environment,
// migrates, seeds the portal data with set-based SQL (generate_series; secondary indexes are dropped during
// the bulk insert and rebuilt afterwards from their own definitions, which is much faster than maintaining
// them row by row), then listens on a loopback port and reports to the parent over IPC.
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

export const BENCH_PASSWORD = 'bench portal password'

// Account names are made of syllables ("Korvanix Holdings"), so words and trigrams are as varied as real
// company names; 27,000 stems × 25 suffixes, 50,000 accounts of 20 opportunities each.
const SYLLABLES =
  'ka lo mi ra ten vo zu bel cor dax fen gri hol jin kev lum mor nex ori pax qui rel sol tri ulm vex wyn xan yor zel'.split(
    ' ',
  )
const SUFFIXES =
  'Labs Group Partners Holdings Systems Industries Ventures Solutions Networks Dynamics Capital Logistics Foods Energy Health Media Retail Robotics Software Studios Telecom Travel Works Analytics Consulting'.split(
    ' ',
  )
const PRODUCTS =
  'Renewal Expansion Pilot Upgrade Migration Licenses Support Training Rollout Integration Audit Onboarding'.split(
    ' ',
  )
const STAGES: Array<[name: string, probability: number, isClosed: boolean, isWon: boolean]> = [
  ['Prospecting', 10, false, false],
  ['Qualification', 20, false, false],
  ['Needs Analysis', 30, false, false],
  ['Value Proposition', 50, false, false],
  ['Proposal/Price Quote', 70, false, false],
  ['Negotiation/Review', 90, false, false],
  ['Closed Won', 100, true, true],
  ['Closed Lost', 0, true, false],
]

/** The broad search in the admin mix: a product word in 1 of 12 names (≈83,000 matches). */
export const BROAD_SEARCH_TERM = 'Renewal'

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
  const connection = await db
    .insertInto('crm_connections')
    .values({
      provider: 'salesforce',
      auth_method: 'client_credentials',
      login_url: 'https://bench.my.salesforce.com',
      instance_url: 'https://bench.my.salesforce.com',
      consumer_key: 'bench',
      encrypted_secrets: 'bench',
    })
    .returning('id')
    .executeTakeFirstOrThrow()

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

  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
     where tablename = 'crm_opportunities' and indexname not like '%pkey'`.execute(db)
  for (const index of indexes.rows) await sql.raw(`drop index ${index.indexname}`).execute(db)
  const chunk = 100_000
  for (let from = 1; from <= opportunityCount; from += chunk) {
    await insertOpportunities(db, connection.id, from, Math.min(opportunityCount, from + chunk - 1))
    log(`opportunities: ${Math.min(opportunityCount, from + chunk - 1).toLocaleString('en')}`)
  }
  for (const index of indexes.rows) {
    await sql.raw(index.indexdef).execute(db)
    log(`index rebuilt: ${index.indexname}`)
  }

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

// Deterministic spreads (i × prime mod n) instead of random(), so both engines get the same data.
async function insertOpportunities(db: Db, connectionId: string, from: number, to: number): Promise<void> {
  const stageNames = STAGES.map((stage) => stage[0])
  const probabilities = STAGES.map((stage) => stage[1])
  const syllable = (n: string) => sql`(${SYLLABLES}::text[])[1 + ${sql.raw(n)}]`
  const stem = sql`initcap(${syllable('(i % 50000) % 30')} || ${syllable('((i % 50000) / 30) % 30')} || ${syllable('((i % 50000) / 900) % 30')})`
  const account = sql`${stem} || ' ' || (${SUFFIXES}::text[])[1 + ((i % 50000) / 27000 + (i % 50000) * 7) % 25]`
  const stage = sql`(1 + (i * 7) % 8)`
  await sql`
    insert into crm_opportunities (id, connection_id, name, account_id, account_name, amount, currency_iso_code,
      close_date, stage_name, probability, forecast_category_name, type, owner_id, owner_name, owner_email,
      created_date, last_modified_date, system_modstamp, is_closed, is_won, is_deleted, synced_at)
    select '006BENCH' || lpad(i::text, 10, '0'), ${connectionId},
           ${stem} || ' ' || (${PRODUCTS}::text[])[1 + (i / 7) % 12] || ' ' || (2024 + i % 3),
           '001BENCH' || lpad((i % 50000)::text, 10, '0'), ${account},
           case when i % 50 = 0 then null else ((i::bigint * 7919) % 500000)::numeric + 0.5 end,
           case when i % 10 = 0 then 'EUR' else 'USD' end,
           date '2025-01-01' + ((i::bigint * 7919) % 1095)::int,
           (${stageNames}::text[])[${stage}], (${probabilities}::numeric[])[${stage}],
           case when ${stage} = 7 then 'Closed' when ${stage} = 8 then 'Omitted' else 'Pipeline' end,
           'New Business',
           '005BENCH' || lpad((i % 2000)::text, 10, '0'), 'Owner ' || (i % 2000), 'owner' || (i % 2000) || '@bench.example',
           timestamptz '2024-01-01' + ((i::bigint * 104729) % 31536000) * interval '1 second',
           timestamptz '2025-01-01' + ((i::bigint * 104723) % 31536000) * interval '1 second',
           timestamptz '2025-01-01' + ((i::bigint * 104723) % 31536000) * interval '1 second',
           ${stage} >= 7, ${stage} = 7, i % 200 = 0, now()
      from generate_series(${from}::int, ${to}::int) i`.execute(db)
}

function log(message: string): void {
  console.log(`[bench server] ${message}`)
}
