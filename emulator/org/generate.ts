// A deterministic, realistic demo org: the same seed gives the same org. Stage mix, amounts, close dates
// around today, owners, accounts, team members and custom field values look like a real sales pipeline.
// Repeated strings (descriptions, next steps) are shared between records so a million opportunities fit in memory.
import type { ConnectedApp, EmulatedUser } from './auth-state.js'
import type { Org } from './org.js'
import {
  FIRST,
  LAST,
  COMPANY_A,
  COMPANY_B,
  PRODUCTS,
  NEXT_STEPS,
  DESCRIPTIONS,
  COMPETITORS,
  COUNTRIES,
} from './generate-names.js'
import { DEFAULT_STAGES, LEAD_SOURCES, OPPORTUNITY_TYPES, REGIONS, CURRENCIES } from './schema.js'

/** mulberry32: a small, fast, seedable PRNG (public domain). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

// Share of opportunities per stage: a funnel that narrows, with about a third of the book closed.
const STAGE_WEIGHTS = [16, 12, 10, 9, 7, 5, 6, 5, 17, 13]

export interface GeneratedOrg {
  integrationUser: EmulatedUser
  app: ConnectedApp
}

export interface GenerateOptions {
  opportunities: number
  seed: number
  /** Extra users with workspace-style emails, so member suggestions have matches. */
  ownerCount?: number
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

function weighted(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0)
  let roll = random() * total
  for (let i = 0; i < weights.length; i += 1) {
    roll -= weights[i] as number
    if (roll < 0) return i
  }
  return weights.length - 1
}

const DAY = 86_400_000
// Dates repeat across a million records; one shared string per day keeps the org small.
const dateStrings = new Map<number, string>()
const isoDate = (ms: number) => {
  const day = Math.floor(ms / DAY)
  let text = dateStrings.get(day)
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10)
    dateStrings.set(day, text)
  }
  return text
}
const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000

export function generateOrg(org: Org, options: GenerateOptions): GeneratedOrg {
  const random = createRandom(options.seed)
  const now = org.now()
  const records = org.records
  const token = (length: number) =>
    Array.from({ length }, () =>
      pick(random, [...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789']),
    ).join('')

  // The Organization row's Id is the org ID itself (the one in tokens, identity URLs and userinfo).
  records.insert(
    'Organization',
    {
      Id: org.id,
      Name: org.name,
      OrganizationType: 'Developer Edition',
      IsSandbox: false,
      InstanceName: 'EMU1',
      DefaultCurrencyIsoCode: 'USD',
    },
    null,
    wholeSeconds(now - 400 * DAY),
  )
  const integration = records.insert(
    'User',
    {
      Username: 'integration@crm-demo.example',
      FirstName: 'Integration',
      LastName: 'User',
      Email: 'integration@crm-demo.example',
      Alias: 'integ',
      IsActive: true,
      UserType: 'Standard',
    },
    null,
    wholeSeconds(now - 400 * DAY),
  )
  const integrationUser: EmulatedUser = {
    id: String(integration['Id']),
    username: 'integration@crm-demo.example',
    password: 'Integration-Pass-1',
    securityToken: token(24),
    isActive: true,
    apiEnabled: true,
    canReadOpportunities: true,
    canEditOpportunities: true,
  }
  org.auth.users.set(integrationUser.id, integrationUser)
  org.integrationUserId = integrationUser.id

  const ownerCount = options.ownerCount ?? Math.max(5, Math.min(500, Math.ceil(options.opportunities / 200)))
  const owners: string[] = []
  for (let i = 0; i < ownerCount; i += 1) {
    const first = FIRST[i % FIRST.length] as string
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string
    const suffix = i < FIRST.length * LAST.length ? '' : String(i)
    const email = `${first
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z]/g, '')}.${last
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z]/g, '')}${suffix}@crm-demo.example`
    const user = records.insert(
      'User',
      {
        Username: email,
        FirstName: first,
        LastName: last,
        Email: email,
        Alias: `${first.slice(0, 1)}${last.slice(0, 4)}`.toLowerCase(),
        IsActive: random() > 0.05,
        UserType: 'Standard',
        // Teams of five: the first of each team manages the other four (no random draw, so seeds keep their orgs).
        ManagerId: i % 5 === 0 ? null : (owners[i - (i % 5)] ?? null),
        Title: i % 5 === 0 ? 'Sales Manager' : 'Account Executive',
        Department: 'Sales',
      },
      integrationUser.id,
      wholeSeconds(now - 300 * DAY),
    )
    owners.push(String(user['Id']))
    org.auth.users.set(String(user['Id']), {
      id: String(user['Id']),
      username: email,
      password: 'Sales-Pass-1',
      securityToken: token(24),
      isActive: user['IsActive'] === true,
      apiEnabled: false,
      canReadOpportunities: true,
      canEditOpportunities: true,
    })
  }

  DEFAULT_STAGES.forEach((stage, index) => {
    records.insert(
      'OpportunityStage',
      {
        MasterLabel: stage.name,
        ApiName: stage.name,
        IsActive: true,
        SortOrder: index + 1,
        IsClosed: stage.closed,
        IsWon: stage.won,
        ForecastCategoryName: stage.forecast,
        ForecastCategory: stage.forecast === 'Omitted' ? 'Omitted' : stage.forecast,
        DefaultProbability: stage.probability,
      },
      null,
      wholeSeconds(now - 400 * DAY),
    )
  })

  const accountCount = Math.max(5, Math.ceil(options.opportunities / 10))
  const accounts: string[] = []
  for (let i = 0; i < accountCount; i += 1) {
    const name = `${pick(random, COMPANY_A)} ${pick(random, COMPANY_B)}${i >= COMPANY_A.length * COMPANY_B.length ? ` ${i}` : ''}`
    const account = records.insert(
      'Account',
      {
        Name: name,
        Type: 'Customer - Direct',
        Industry: 'Technology',
        BillingCountry: pick(random, COUNTRIES),
        OwnerId: pick(random, owners),
      },
      integrationUser.id,
      wholeSeconds(now - 365 * DAY),
    )
    accounts.push(String(account['Id']))
  }

  for (let i = 0; i < options.opportunities; i += 1) {
    const stage = DEFAULT_STAGES[weighted(random, STAGE_WEIGHTS)] as (typeof DEFAULT_STAGES)[number]
    const accountId = pick(random, accounts)
    const accountName = String(records.findById('Account', accountId)?.['Name'] ?? '')
    const closeDate = stage.closed
      ? now - Math.floor(random() * 365) * DAY
      : now + Math.floor(random() * 240 - 30) * DAY
    const created = Math.min(now - DAY, closeDate - Math.floor(30 + random() * 120) * DAY)
    const modified = wholeSeconds(Math.min(now, created + random() * (now - created)))
    const amount = Math.round(Math.exp(8.5 + random() * 4) / 100) * 100
    const values = {
      Name: `${accountName} - ${pick(random, PRODUCTS)} ${i + 1}`,
      AccountId: accountId,
      StageName: stage.name,
      Amount: amount,
      CloseDate: isoDate(closeDate),
      Type: pick(random, OPPORTUNITY_TYPES),
      LeadSource: pick(random, LEAD_SOURCES),
      NextStep: stage.closed ? null : pick(random, NEXT_STEPS),
      Description: pick(random, DESCRIPTIONS),
      OwnerId: pick(random, owners),
      Region__c: pick(random, REGIONS),
      Deal_Score__c: Math.round(random() * 100),
      Competitor__c: pick(random, COMPETITORS),
      ...(org.multiCurrency ? { CurrencyIsoCode: pick(random, CURRENCIES) } : {}),
    }
    const record = records.insert('Opportunity', values, integrationUser.id, wholeSeconds(created))
    record['LastModifiedDate'] = modified
    record['SystemModstamp'] = modified
    // About one deal in six has a sales team (Team Selling).
    if (random() < 0.17) {
      const members = 1 + Math.floor(random() * 2)
      for (let m = 0; m < members; m += 1) {
        records.insert(
          'OpportunityTeamMember',
          {
            OpportunityId: String(record['Id']),
            UserId: pick(random, owners),
            TeamMemberRole: pick(random, ['Sales Rep', 'Pre-Sales Consultant', 'Executive Sponsor']),
            OpportunityAccessLevel: 'Edit',
          },
          integrationUser.id,
          modified,
        )
      }
    }
  }

  const app: ConnectedApp = {
    consumerKey: `3MVG9${token(80)}`,
    consumerSecret: token(64).toUpperCase(),
    flows: new Set(['password', 'client_credentials', 'authorization_code', 'refresh_token']),
    runAsUserId: integrationUser.id,
    activeAfter: 0,
    rotateRefreshTokens: false,
    autoApprove: false,
  }
  org.auth.apps.set(app.consumerKey, app)
  return { integrationUser, app }
}
