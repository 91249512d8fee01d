// The org's opportunity stages in its own order: OpportunityStage (Object Reference,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitystage.htm)
// has one row per StageName picklist value, ApiName being the value opportunities carry and SortOrder the
// position the admin gave it in Setup. Inactive stages are read too: old deals may still be in one.
import type { OpportunityStageRecord } from '../crm-provider.js'
import type { CallTracker } from './call-tracker.js'
import { textOf } from './opportunity-fields.js'
import { restQueryPages } from './salesforce-reader.js'

export const OPPORTUNITY_STAGES_SOQL =
  'SELECT MasterLabel, ApiName, SortOrder, IsActive, IsClosed, IsWon, ForecastCategoryName FROM OpportunityStage ORDER BY SortOrder'

export async function readOpportunityStages(
  tracker: CallTracker,
  apiVersion: string,
): Promise<OpportunityStageRecord[]> {
  const stages: OpportunityStageRecord[] = []
  for await (const page of restQueryPages(tracker, apiVersion, OPPORTUNITY_STAGES_SOQL, {
    includeDeleted: false,
  }))
    for (const record of page.records) {
      const apiName = textOf(record['ApiName']) ?? textOf(record['MasterLabel'])
      if (apiName === null) continue
      // An int in the Object Reference; anything else counts as no order rather than breaking the run.
      const sortOrder = record['SortOrder']
      stages.push({
        apiName,
        label: textOf(record['MasterLabel']) ?? apiName,
        sortOrder: Number.isSafeInteger(sortOrder) ? (sortOrder as number) : null,
        isActive: record['IsActive'] !== false,
        isClosed: record['IsClosed'] === true,
        isWon: record['IsWon'] === true,
        forecastCategoryName: textOf(record['ForecastCategoryName']),
      })
    }
  return stages
}
