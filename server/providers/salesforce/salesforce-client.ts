// The CrmSession of a Salesforce org: every call the CRM features make, in our types, over one jsforce
// connection (salesforce-api.ts) and one call tracker (budget, retries). SOQL and REST paths live here and in
// salesforce-reader.ts, nowhere in server/crm/.
import type { Connection } from '@jsforce/jsforce-node'

import type {
  CallPolicy,
  CrmSession,
  CrmUserRecord,
  DeletedRecords,
  FieldPlan,
  OpportunityKey,
  OpportunityRead,
  OpportunityRecord,
  Page,
  TeamMemberRecord,
} from '../crm-provider.js'
import { CallTracker } from './call-tracker.js'
import { readOpportunityStages } from './opportunity-stages.js'
import { planFields, textOf, toOpportunityRecord, type SalesforceRecord } from './opportunity-fields.js'
import { bulkQueryPages, countQuery, restQueryPages, type RawPage } from './salesforce-reader.js'
import { DEFAULT_WRITE_RETRY, createOpportunityWriter } from './salesforce-writer.js'

interface DeletedResponse {
  deletedRecords: Array<{ id: string; deletedDate: string }>
  earliestDateAvailable: string
  latestDateCovered: string
}

const isDeletedResponse = (body: unknown): body is DeletedResponse =>
  typeof body === 'object' && body !== null && Array.isArray((body as DeletedResponse).deletedRecords)

/** SOQL datetime literal (SOQL and SOSL Reference "Date Formats and Date Literals"): UTC, whole seconds. */
export function soqlDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

const sinceClause = (since: Date | undefined) =>
  since ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : ''

/** Salesforce ids are 15 or 18 letters and digits; anything else is dropped rather than quoted. */
const idLiteral = (id: string) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`

export function createSalesforceClient(
  api: Connection,
  apiVersion: string,
  policy: CallPolicy | undefined,
  writeRetry: CallPolicy = DEFAULT_WRITE_RETRY,
): CrmSession {
  const tracker = new CallTracker(api, policy)
  const writer = createOpportunityWriter(tracker, apiVersion, writeRetry)
  const base = `/services/data/v${apiVersion}`

  async function* mapPages<T>(pages: AsyncGenerator<RawPage>, map: (record: SalesforceRecord) => T) {
    for await (const page of pages) yield { ...page, records: page.records.map(map) } satisfies Page<T>
  }

  /** A REST query (ordered pages) or a Bulk API 2.0 job (unordered, for large reads). */
  const readPages = (
    soql: string,
    includeDeleted: boolean,
    read: Pick<OpportunityRead, 'method' | 'pageSize' | 'bulk'>,
  ) =>
    read.method === 'bulk' && read.bulk
      ? bulkQueryPages(tracker, apiVersion, soql, { ...read.bulk, includeDeleted, maxRecords: read.pageSize })
      : restQueryPages(tracker, apiVersion, soql, { includeDeleted, batchSize: read.pageSize })

  const opportunitySoql = (plan: FieldPlan, since: Date | undefined) =>
    // Ordered by SystemModstamp then Id, so the last record of a committed REST page is a safe resume point.
    `SELECT ${plan.select.join(', ')} FROM Opportunity${sinceClause(since)} ORDER BY SystemModstamp ASC, Id ASC`

  return {
    get instanceUrl() {
      return api.instanceUrl
    },
    get calls() {
      return tracker.calls
    },
    get usage() {
      return tracker.usage
    },
    setCallBudget: (remainingCalls) => tracker.setBudget(remainingCalls),

    userInfo: async () => {
      // OpenID Connect UserInfo (Salesforce Help "UserInfo Endpoint",
      // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm).
      const info = await tracker.call('reading the user info', (conn) =>
        conn.request<{ preferred_username?: string; name?: string; active?: boolean }>(
          '/services/oauth2/userinfo',
        ),
      )
      return { username: info.preferred_username, name: info.name, active: info.active }
    },

    limits: async () => {
      // REST API "Limits": DailyApiRequests { Max, Remaining } for the org's rolling 24 hours
      // (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm).
      const limits = await tracker.call('reading the API limits', (conn) =>
        conn.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>(`${base}/limits`),
      )
      const daily = limits.DailyApiRequests
      return daily ? { max: daily.Max, remaining: daily.Remaining } : undefined
    },

    deliveryAllocation: async () => {
      // The same resource's DailyDeliveredPlatformEvents: event deliveries per 24 hours, shared by change events
      // and high-volume platform events, every subscriber counting
      // (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_allocations.htm).
      const limits = await tracker.call('reading the event delivery allocation', (conn) =>
        conn.request<{ DailyDeliveredPlatformEvents?: { Max: number } }>(`${base}/limits`),
      )
      return limits.DailyDeliveredPlatformEvents?.Max
    },

    describeOpportunity: async () => {
      const describe = await tracker.call('describing Opportunity', (conn) =>
        conn.sobject('Opportunity').describe(),
      )
      return { queryable: describe.queryable, fields: new Set(describe.fields.map((field) => field.name)) }
    },

    planOpportunityFields: (visible, extraFields, options) => planFields(visible, extraFields, options),

    corporateCurrency: async () => {
      // Organization.DefaultCurrencyIsoCode, the corporate currency in single- and multi-currency orgs
      // (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm).
      const pages = restQueryPages(tracker, apiVersion, 'SELECT DefaultCurrencyIsoCode FROM Organization', {
        includeDeleted: false,
      })
      for await (const page of pages) return textOf(page.records[0]?.['DefaultCurrencyIsoCode'])
      return null
    },

    hasTeamSelling: async () => {
      const global = await tracker.call('listing objects', (conn) => conn.describeGlobal())
      return global.sobjects.some((object) => object.name === 'OpportunityTeamMember')
    },

    opportunityStages: () => readOpportunityStages(tracker, apiVersion),

    countOpportunities: (since) =>
      countQuery(tracker, apiVersion, `SELECT COUNT() FROM Opportunity${sinceClause(since)}`),

    describeOpportunityRead: ({ plan, since }) => opportunitySoql(plan, since),

    opportunityPages: (read: OpportunityRead) => {
      const pages = readPages(opportunitySoql(read.plan, read.since), true, read)
      return mapPages(pages, (record) => toOpportunityRecord(record, read.plan))
    },

    opportunityKeyPages: (options) => {
      const pages = readPages('SELECT Id, SystemModstamp FROM Opportunity', false, options)
      return mapPages(pages, (record): OpportunityKey => ({
        id: String(record['Id']),
        systemModstamp: new Date(String(record['SystemModstamp'])).toISOString(),
      }))
    },

    opportunitiesByIds: (ids, plan, pageSize) => {
      const soql = `SELECT ${plan.select.join(', ')} FROM Opportunity WHERE Id IN (${ids.map(idLiteral).join(', ')})`
      return mapPages(
        restQueryPages(tracker, apiVersion, soql, { includeDeleted: false, batchSize: pageSize }),
        (record) => toOpportunityRecord(record, plan),
      )
    },

    teamMemberPages: (since, pageSize) => {
      const soql = `SELECT Id, OpportunityId, UserId, TeamMemberRole, SystemModstamp, IsDeleted FROM OpportunityTeamMember${sinceClause(since)}`
      return mapPages(
        restQueryPages(tracker, apiVersion, soql, { includeDeleted: true, batchSize: pageSize }),
        (r): TeamMemberRecord => ({
          id: String(r['Id']),
          opportunityId: String(r['OpportunityId']),
          userId: String(r['UserId']),
          role: textOf(r['TeamMemberRole']),
          modstamp: new Date(String(r['SystemModstamp'])).toISOString(),
          deleted: r['IsDeleted'] === true,
        }),
      )
    },

    userPages: (since, pageSize) =>
      mapPages(
        restQueryPages(
          tracker,
          apiVersion,
          `SELECT Id, Name, Email, IsActive FROM User${sinceClause(since)}`,
          {
            includeDeleted: false,
            batchSize: pageSize,
          },
        ),
        (r): CrmUserRecord => ({
          id: String(r['Id']),
          name: textOf(r['Name']),
          email: textOf(r['Email']),
          active: r['IsActive'] !== false,
        }),
      ),

    deletedOpportunities: async (start, end): Promise<DeletedRecords> => {
      // REST API "Get Deleted Records" (GET /sobjects/Opportunity/deleted/?start=&end=,
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm).
      const query = new URLSearchParams({ start: start.toISOString(), end: end.toISOString() })
      const url = `${base}/sobjects/Opportunity/deleted/?${query.toString()}`
      const body = await tracker.call(
        'listing deleted records',
        (conn) => conn.request<DeletedResponse>(url),
        isDeletedResponse,
      )
      return {
        records: body.deletedRecords.map((record) => ({
          id: record.id,
          deletedDate: new Date(record.deletedDate),
        })),
        earliestDateAvailable: new Date(body.earliestDateAvailable),
        latestDateCovered: new Date(body.latestDateCovered),
      }
    },

    query: async (statement) => {
      const pages = restQueryPages(tracker, apiVersion, statement, { includeDeleted: false })
      let totalSize = 0
      const records: SalesforceRecord[] = []
      // Live statements ask for at most a page (or 300 ids) of rows, so this loop rarely runs twice.
      for await (const page of pages) {
        totalSize = page.totalSize ?? totalSize
        records.push(...page.records)
      }
      return { totalSize, records }
    },

    toOpportunityRecord: (record, plan): OpportunityRecord => toOpportunityRecord(record, plan),
    ...writer,
  }
}
