// Limits (REST API "Limits" and "List Org Limits"): every limit the org has, each {Max, Remaining}; PermissionSets
// also carries {CreateCustom: {Max, Remaining}}.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_limits.htm (the example response).
// The keys and the Max values of the limits nothing here consumes are the example's, as a Developer Edition org
// shows them; DailyApiRequests and DailyBulkV2QueryJobs count what the emulator serves. The per-app sub-entries some
// orgs show under DailyApiRequests (one per connected app) are left out: the page shows them only in prose.
// Record Count (resources_record_count.htm, v40.0+) lives here too: `sf org list sobject record-counts` reads it.
import type { FastifyInstance } from 'fastify'

import { sendJson } from '../http/errors.js'
import type { RestDeps } from '../http/guard.js'
import { versionOf } from '../http/versions.js'
import type { Org } from '../org/org.js'

/** Limits that stay at their maximum in the emulator: name → Max. */
const STATIC_LIMITS: ReadonlyArray<readonly [string, number]> = [
  ['ActiveScratchOrgs', 3],
  ['AnalyticsExternalDataSizeMB', 40_960],
  ['ConcurrentAsyncGetReportInstances', 200],
  ['ConcurrentEinsteinDataInsightsStoryCreation', 5],
  ['ConcurrentEinsteinDiscoveryStoryCreation', 2],
  ['ConcurrentSyncReportRuns', 20],
  ['DailyAnalyticsDataflowJobExecutions', 60],
  ['DailyAnalyticsUploadedFilesSizeMB', 51_200],
  ['DailyAsyncApexExecutions', 250_000],
  ['DailyAsyncApexTests', 500],
  ['DailyBulkApiBatches', 15_000],
  ['DailyBulkV2QueryFileStorageMB', 976_562],
  ['DailyDeliveredPlatformEvents', 10_000],
  ['DailyDurableGenericStreamingApiEvents', 10_000],
  ['DailyDurableStreamingApiEvents', 10_000],
  ['DailyEinsteinDataInsightsStoryCreation', 1_000],
  ['DailyEinsteinDiscoveryPredictAPICalls', 50_000],
  ['DailyEinsteinDiscoveryPredictionsByCDC', 500_000],
  ['DailyEinsteinDiscoveryStoryCreation', 100],
  ['DailyFunctionsApiCallLimit', 235_000],
  ['DailyGenericStreamingApiEvents', 10_000],
  ['DailyScratchOrgs', 6],
  ['DailyStandardVolumePlatformEvents', 10_000],
  ['DailyStreamingApiEvents', 10_000],
  ['DailyWorkflowEmails', 100_000],
  ['DataStorageMB', 1_024],
  ['DurableStreamingApiConcurrentClients', 20],
  ['FileStorageMB', 1_024],
  ['HourlyAsyncReportRuns', 1_200],
  ['HourlyDashboardRefreshes', 200],
  ['HourlyDashboardResults', 5_000],
  ['HourlyDashboardStatuses', 999_999_999],
  ['HourlyLongTermIdMapping', 100_000],
  ['HourlyManagedContentPublicRequests', 50_000],
  ['HourlyODataCallout', 20_000],
  ['HourlyPublishedPlatformEvents', 50_000],
  ['HourlyPublishedStandardVolumePlatformEvents', 1_000],
  ['HourlyShortTermIdMapping', 100_000],
  ['HourlySyncReportRuns', 500],
  ['HourlyTimeBasedWorkflow', 1_000],
  ['MassEmail', 5_000],
  ['MonthlyEinsteinDiscoveryStoryCreation', 500],
  ['MonthlyPlatformEventsUsageEntitlement', 300_000],
  ['Package2VersionCreates', 6],
  ['Package2VersionCreatesWithoutValidation', 500],
  ['PrivateConnectOutboundCalloutHourlyLimitMB', 0],
  ['SingleEmail', 5_000],
  ['StreamingApiConcurrentClients', 20],
]

type Limit = { Max: number; Remaining: number }

const full = (max: number): Limit => ({ Max: max, Remaining: max })

export function orgLimits(org: Org): Record<string, Limit | (Limit & { CreateCustom: Limit })> {
  const { limits } = org
  const counted: Record<string, Limit> = {
    DailyApiRequests: {
      Max: limits.dailyApiRequests,
      Remaining: Math.max(0, limits.dailyApiRequests - limits.apiRequestsUsed),
    },
    DailyBulkV2QueryJobs: {
      Max: limits.dailyBulkQueryJobs,
      Remaining: Math.max(0, limits.dailyBulkQueryJobs - limits.bulkQueryJobsUsed),
    },
  }
  const all: Record<string, Limit | (Limit & { CreateCustom: Limit })> = {
    ...Object.fromEntries(STATIC_LIMITS.map(([name, max]) => [name, full(max)])),
    ...counted,
    PermissionSets: { ...full(1_500), CreateCustom: full(1_000) },
  }
  // The documented example lists the keys in alphabetical order.
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((name) => [name, all[name] as Limit]),
  )
}

export function registerLimitsRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  app.get('/services/data/:version/limits', async (request, reply) => {
    if (!versionOf(request, reply) || !(await guard(request, reply))) return reply
    return sendJson(reply, 200, orgLimits(org))
  })

  // Record Count: `?sObjects=A,B` → {"sObjects":[{"count":3,"name":"Account"}, …]}; names the org does not have
  // are left out, no parameter lists every object; recycle-bin rows are not counted.
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_record_count.htm
  app.get('/services/data/:version/limits/recordCount', async (request, reply) => {
    if (!versionOf(request, reply) || !(await guard(request, reply))) return reply
    const param = (request.query as Record<string, unknown>)['sObjects']
    const wanted =
      typeof param === 'string' && param.trim() !== '' ? param.split(',') : org.records.objectNames()
    const sObjects = wanted.flatMap((raw) => {
      const definition = org.records.describeObject(raw.trim())
      if (!definition) return []
      let count = 0
      for (const record of org.records.allRecords(definition.name))
        if (record['IsDeleted'] !== true) count += 1
      return [{ count, name: definition.name }]
    })
    return sendJson(reply, 200, { sObjects })
  })
}
