// Set-based seeding shared by the benchmarks (bench:portal, bench:feed): the fake connection the seeded cache
// belongs to, and 1,000,000-row tables written with INSERT … SELECT generate_series while their secondary
// indexes are dropped, then rebuilt from their own definitions (much faster than maintaining them row by row).
import { sql } from 'kysely'

import type { Db } from '../server/storage/open-database.js'

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

/** The broad search in bench:portal's admin mix: a product word in 1 of 12 names (≈83,000 matches). */
export const BROAD_SEARCH_TERM = 'Renewal'

/** The seeded opportunity number `i` (1-based) as its Salesforce-like id. */
export const benchOpportunityId = (i: number) => `006BENCH${String(i).padStart(10, '0')}`

/** A connection the seeded cache belongs to; it reaches no Salesforce (its secrets are not real). */
export async function insertBenchConnection(db: Db, consumerKey: string): Promise<string> {
  const connection = await db
    .insertInto('crm_connections')
    .values({
      provider: 'salesforce',
      auth_method: 'client_credentials',
      login_url: 'https://bench.my.salesforce.com',
      instance_url: 'https://bench.my.salesforce.com',
      consumer_key: consumerKey,
      encrypted_secrets: 'bench',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return connection.id
}

/**
 * Runs `write` with the secondary indexes of `tables` dropped (primary keys and unique indexes stay, as
 * writes may rely on them), then rebuilds each from its definition.
 */
export async function withIndexesDropped(
  db: Db,
  tables: string[],
  write: () => Promise<void>,
  log: (message: string) => void,
): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select i.indexname, i.indexdef from pg_indexes i
      join pg_class c on c.relname = i.indexname join pg_index x on x.indexrelid = c.oid
     where i.schemaname = 'public' and i.tablename in (${sql.join(tables)})
       and not x.indisprimary and not x.indisunique`.execute(db)
  for (const index of indexes.rows) await sql.raw(`drop index ${index.indexname}`).execute(db)
  await write()
  for (const index of indexes.rows) {
    const started = performance.now()
    await sql.raw(index.indexdef).execute(db)
    log(`index rebuilt: ${index.indexname} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
}

/** Opportunities 1..count of `connectionId`, in chunks of 100,000, with the table's indexes rebuilt after. */
export async function seedOpportunities(
  db: Db,
  connectionId: string,
  count: number,
  log: (message: string) => void,
): Promise<void> {
  await withIndexesDropped(
    db,
    ['crm_opportunities'],
    async () => {
      const chunk = 100_000
      for (let from = 1; from <= count; from += chunk) {
        await insertOpportunities(db, connectionId, from, Math.min(count, from + chunk - 1))
        log(`opportunities: ${Math.min(count, from + chunk - 1).toLocaleString('en')}`)
      }
    },
    log,
  )
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
