// Seeds a test server for the opportunity journeys straight into its database, as a sync would have left
// it: an admin, three members, a Salesforce connection and a handful of opportunities with known values.
import { hashPassword } from '../../server/auth/password.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
  setStageOrder,
} from '../../server/testing/crm-factories.js'
import type { TestServer } from '../../server/testing/start-test-server.js'

export interface SeedUser {
  id: string
  name: string
  email: string
  password: string
}

export interface CrmSeed {
  admin: SeedUser
  mia: SeedUser
  bob: SeedUser
  nora: SeedUser
  /** Opportunity ids by a short name. */
  opp: Record<'globex' | 'initech' | 'umbrella' | 'wonka' | 'stark' | 'bobs' | 'spare' | 'deleted', string>
}

const password = 'a long enough e2e password'
export const fillerCount = 55

async function makeUser(server: TestServer, name: string, email: string, role: 'admin' | 'member') {
  const row = await server.deps.db
    .insertInto('users')
    .values({ name, email, role, password_hash: await hashPassword(password) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, name, email, password }
}

function pad(n: number): string {
  return String(n).padStart(11, '0')
}

/** The seeded org's stage order (OpportunityStage.SortOrder): board columns follow it. */
export const STAGE_ORDER = [
  'Qualification',
  'Prospecting',
  'Negotiation/Review',
  'Proposal/Price Quote',
  'Closed Lost',
  'Closed Won',
]

export async function seedCrm(server: TestServer): Promise<CrmSeed> {
  const db = server.deps.db
  const admin = await makeUser(server, 'Ada Admin', 'ada@example.com', 'admin')
  const mia = await makeUser(server, 'Mia Member', 'mia@example.com', 'member')
  const bob = await makeUser(server, 'Bob Other', 'bob@example.com', 'member')
  const nora = await makeUser(server, 'Nora Newcomer', 'nora@example.com', 'member')
  await setCrmModuleEnabled(db, true)
  const connection = await makeConnection(db)
  const today = new Date().toISOString().slice(0, 10)

  const rows = [
    ['globex', 'Globex Expansion', 'Globex', 50_000, 'Proposal/Price Quote', 75, 'USD', '2027-01-15'],
    ['initech', 'Initech Renewal', 'Initech', 12_000, 'Prospecting', 10, 'USD', '2027-02-01'],
    ['umbrella', 'Umbrella Pilot', 'Umbrella Corp', 8_000, 'Qualification', 20, 'EUR', '2027-03-10'],
    ['wonka', 'Wonka Factory Deal', 'Wonka Industries', 30_000, 'Closed Won', 100, 'USD', today],
    ['stark', 'Stark Upgrade', 'Stark Industries', 70_000, 'Negotiation/Review', 90, 'USD', '2026-12-20'],
    ['bobs', 'Bobs Secret Deal', 'Hooli', 99_000, 'Prospecting', 10, 'USD', '2027-04-01'],
    ['spare', 'Spare Unassigned Deal', 'Soylent', 5_000, 'Prospecting', 10, 'USD', '2027-05-01'],
    ['deleted', 'Deleted Old Deal', 'Gone Inc', 1_000, 'Prospecting', 10, 'USD', '2026-12-01'],
  ] as const
  // The org's stage order as a sync stores it: neither alphabetical nor the order of the rows above.
  await setStageOrder(db, connection.id, STAGE_ORDER)
  const opp = {} as CrmSeed['opp']
  for (const [
    index,
    [key, name, account, amount, stage, probability, currency, closeDate],
  ] of rows.entries()) {
    const closed = stage.startsWith('Closed')
    const created = await makeOpportunity(db, connection.id, {
      id: `006E2E${pad(index + 1)}`.slice(0, 18),
      name,
      account_name: account,
      amount,
      stage_name: stage,
      probability,
      currency_iso_code: currency,
      close_date: closeDate,
      is_closed: closed,
      is_won: closed,
      forecast_category_name: closed ? 'Closed' : probability >= 75 ? 'Commit' : 'Pipeline',
      next_step: key === 'globex' ? 'Send the revised quote' : null,
      description: key === 'globex' ? 'Globex wants the platform in three more regions.' : null,
      owner_email: key === 'spare' ? 'bob@example.com' : 'sam.seller@example.com',
      is_deleted: key === 'deleted',
      deleted_at: key === 'deleted' ? new Date() : null,
    })
    opp[key] = created.id
  }
  // Enough rows owned by someone else for a second page of All Opportunities (50 per page).
  for (let n = 1; n <= fillerCount; n += 1) {
    await makeOpportunity(db, connection.id, {
      id: `006E2F${pad(n)}`.slice(0, 18),
      name: `Filler Deal ${String(n).padStart(2, '0')}`,
      account_name: 'Filler Co',
      close_date: `2028-01-${String((n % 28) + 1).padStart(2, '0')}`,
      owner_id: '005TEST00000000002',
      owner_name: 'Olivia Owner',
      owner_email: 'olivia@example.com',
    })
  }
  // Mia starts with three; the journey adds Globex on its page and Stark in bulk.
  await assignManually(db, mia.id, [opp.initech, opp.umbrella, opp.wonka, opp.deleted])
  await assignManually(db, bob.id, [opp.bobs])
  return { admin, mia, bob, nora, opp }
}
