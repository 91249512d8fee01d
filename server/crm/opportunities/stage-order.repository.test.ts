// Replacing the stored stages: the same ApiName twice keeps the first one the CRM listed (Salesforce keeps
// ApiNames unique; this guards the key if a response ever repeats one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { OpportunityStageRecord } from '../../providers/crm-provider.js'
import { makeConnection } from '../../testing/crm-factories.js'
import { buildTestApp, type TestApp } from '../../testing/test-app.js'
import { readStageOrder, replaceOpportunityStages } from './stage-order.repository.js'

const stage = (apiName: string, sortOrder: number): OpportunityStageRecord => ({
  apiName,
  label: apiName,
  sortOrder,
  isActive: true,
  isClosed: false,
  isWon: false,
  forecastCategoryName: null,
})

describe('stage order storage', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
  })
  afterAll(() => t.close())

  it('keeps the first of two stages with the same ApiName', async () => {
    const connectionId = (await makeConnection(t.database.db)).id
    await replaceOpportunityStages(t.database.db, connectionId, [
      stage('Prospecting', 1),
      stage('Proposal', 2),
      stage('Prospecting', 9),
    ])
    expect([...(await readStageOrder(t.database.db))].sort()).toEqual([
      ['Proposal', 2],
      ['Prospecting', 1],
    ])
  })
})
