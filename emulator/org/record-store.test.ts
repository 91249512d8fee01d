import { describe, expect, it } from 'vitest'

import { generateOrg } from './generate.js'
import { createOrg, type Org } from './org.js'

const DAY = 86_400_000

function smallOrg(opportunities = 200, seed = 11): Org {
  const org = createOrg()
  generateOrg(org, { opportunities, seed })
  return org
}

const live = (org: Org, object: string) =>
  [...org.records.allRecords(object)].filter((r) => r['IsDeleted'] !== true)

describe('the org store', () => {
  it('derives probability, IsClosed, IsWon, forecast category and expected revenue from the stage', () => {
    const org = smallOrg(5)
    const opp = org.records.insert(
      'Opportunity',
      { Name: 'Deal', StageName: 'Negotiation/Review', CloseDate: '2027-03-15', Amount: 1000 },
      org.integrationUserId,
    )
    expect(opp).toMatchObject({
      Probability: 90,
      IsClosed: false,
      IsWon: false,
      ForecastCategoryName: 'Pipeline',
      ForecastCategory: 'Pipeline',
      ExpectedRevenue: 900,
      FiscalYear: 2027,
      FiscalQuarter: 1,
      Fiscal: '2027 1',
    })
    org.records.update('Opportunity', String(opp['Id']), { StageName: 'Closed Won' }, org.integrationUserId)
    expect(opp).toMatchObject({ Probability: 100, IsClosed: true, IsWon: true, ForecastCategory: 'Closed' })
    org.records.update('Opportunity', String(opp['Id']), { StageName: 'Closed Lost' }, org.integrationUserId)
    expect(opp).toMatchObject({
      Probability: 0,
      IsClosed: true,
      IsWon: false,
      ForecastCategoryName: 'Omitted',
    })
  })

  it('moves SystemModstamp on automated changes while LastModifiedDate stays', () => {
    const org = smallOrg(5)
    const [opp] = live(org, 'Opportunity')
    const id = String(opp?.['Id'])
    const lastModified = opp?.['LastModifiedDate']
    org.clockOffsetMs += 5_000
    org.records.touch('Opportunity', id, { Deal_Score__c: 77 })
    expect(opp?.['LastModifiedDate']).toBe(lastModified)
    expect(Number(opp?.['SystemModstamp'])).toBeGreaterThan(Number(lastModified))
    expect(Number(opp?.['SystemModstamp']) % 1000).toBe(0)
  })

  it('keeps deleted records in the recycle bin for 15 days, then drops them from queryAll', () => {
    const org = smallOrg(20)
    const [a, b] = live(org, 'Opportunity')
    const idA = String(a?.['Id'])
    const idB = String(b?.['Id'])
    expect(org.records.softDelete('Opportunity', idA)).toBe(true)
    expect(org.records.softDelete('Opportunity', idA)).toBe(false)
    org.clockOffsetMs += 10 * DAY
    org.records.softDelete('Opportunity', idB)
    org.clockOffsetMs += 5 * DAY + 1000
    expect(org.records.findById('Opportunity', idA)?.['IsDeleted']).toBe(true)
    org.records.count('Opportunity') // any read empties what has expired
    expect(org.records.findById('Opportunity', idA)).toBeUndefined()
    expect(org.records.findById('Opportunity', idB)?.['IsDeleted']).toBe(true)
    expect(org.records.deleteLog.map((e) => e.id)).toContain(idA)
  })

  it('restarts the 15 days when a record is undeleted and deleted again', () => {
    const org = smallOrg(5)
    const id = String(live(org, 'Opportunity')[0]?.['Id'])
    org.records.softDelete('Opportunity', id)
    org.clockOffsetMs += 10 * DAY
    expect(org.records.undelete('Opportunity', id)).toBe(true)
    org.records.softDelete('Opportunity', id)
    org.clockOffsetMs += 6 * DAY
    org.records.count('Opportunity')
    expect(org.records.findById('Opportunity', id)?.['IsDeleted']).toBe(true)
  })

  it('deletes team members directly without the recycle bin, and with their opportunity reversibly', () => {
    const org = smallOrg(300)
    const members = live(org, 'OpportunityTeamMember')
    const direct = members[0]
    expect(direct?.['Name']).toBe(org.records.findById('User', String(direct?.['UserId']))?.['Name'])
    org.records.softDelete('OpportunityTeamMember', String(direct?.['Id']))
    expect(org.records.findById('OpportunityTeamMember', String(direct?.['Id']))).toBeUndefined()
    expect(org.records.undelete('OpportunityTeamMember', String(direct?.['Id']))).toBe(false)
    expect(org.records.deleteLog.at(-1)).toMatchObject({
      id: direct?.['Id'],
      objectName: 'OpportunityTeamMember',
    })

    const opportunityId = String(members[1]?.['OpportunityId'])
    const team = () => live(org, 'OpportunityTeamMember').filter((m) => m['OpportunityId'] === opportunityId)
    const before = team().length
    expect(before).toBeGreaterThan(0)
    org.records.softDelete('Opportunity', opportunityId)
    expect(team()).toHaveLength(0)
    org.records.undelete('Opportunity', opportunityId)
    expect(team()).toHaveLength(before)
  })
})

describe('the generator', () => {
  it('builds the same org from the same seed and a different one from another seed', () => {
    const names = (org: Org) =>
      live(org, 'Opportunity').map((r) => `${String(r['Name'])}|${String(r['Amount'])}`)
    expect(names(smallOrg(100, 5))).toEqual(names(smallOrg(100, 5)))
    expect(names(smallOrg(100, 5))).not.toEqual(names(smallOrg(100, 6)))
  })

  it('produces a believable pipeline: a stage funnel, open deals closing ahead, closed ones behind', () => {
    const org = smallOrg(3000, 9)
    const opps = live(org, 'Opportunity')
    expect(opps).toHaveLength(3000)
    const today = new Date(org.now()).toISOString().slice(0, 10)
    const closed = opps.filter((o) => o['IsClosed'] === true)
    expect(closed.length / opps.length).toBeGreaterThan(0.2)
    expect(closed.length / opps.length).toBeLessThan(0.45)
    expect(closed.every((o) => String(o['CloseDate']) <= today)).toBe(true)
    const open = opps.filter((o) => o['IsClosed'] !== true)
    expect(open.filter((o) => String(o['CloseDate']) >= today).length / open.length).toBeGreaterThan(0.8)
    const prospecting = opps.filter((o) => o['StageName'] === 'Prospecting').length
    const negotiation = opps.filter((o) => o['StageName'] === 'Negotiation/Review').length
    expect(prospecting).toBeGreaterThan(negotiation * 2)
    for (const o of opps.slice(0, 200)) {
      expect(Number(o['Amount'])).toBeGreaterThan(0)
      expect(['EMEA', 'North America', 'LATAM', 'APAC']).toContain(o['Region__c'])
      expect(Number(o['SystemModstamp'])).toBeGreaterThanOrEqual(Number(o['CreatedDate']))
      expect(org.records.findById('Account', String(o['AccountId']))).toBeDefined()
    }
    expect(org.records.count('OpportunityTeamMember')).toBeGreaterThan(0)
  })
})
