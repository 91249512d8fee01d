// sObject resources (issue 14 item 2) through jsforce where it has a call (recent(), describe(), retrieve with
// fields, query) and raw HTTP for the error answers.
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

describe('sObject resources', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  let sample: { Id: string; Name: string }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 20, seed: 5 })
    conn = await jsforceConnection(emulator, V)
    const result = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Opportunity LIMIT 1')
    sample = result.records[0] as { Id: string; Name: string }
  })
  afterAll(() => emulator.close())

  const get = (path: string) =>
    fetch(`${emulator.url}/services/data/v${V}${path}`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    })

  it('answers sObject Basic Information with objectDescribe and recentItems', async () => {
    expect(await conn.sobject('Opportunity').recent()).toEqual([])
    const response = await get('/sobjects/Opportunity')
    expect(await response.json()).toMatchObject({
      objectDescribe: {
        name: 'Opportunity',
        keyPrefix: '006',
        urls: { rowTemplate: `/services/data/v${V}/sobjects/Opportunity/{ID}` },
      },
      recentItems: [],
    })
    expect((await get('/sobjects/Nope__c')).status).toBe(404)
  })

  it('lists child relationships in describe', async () => {
    const account = await conn.sobject('Account').describe()
    expect(account.childRelationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          childSObject: 'Opportunity',
          field: 'AccountId',
          relationshipName: 'Opportunities',
        }),
        expect.objectContaining({
          childSObject: 'Account',
          field: 'ParentId',
          relationshipName: 'ChildAccounts',
        }),
      ]),
    )
    const opportunity = await conn.sobject('Opportunity').describe()
    // groupable as GROUP BY enforces it (org/field-traits.ts): not for currency, percent or datetime fields.
    const groupable = Object.fromEntries(opportunity.fields.map((f) => [f.name, f.groupable]))
    expect(groupable).toMatchObject({ StageName: true, AccountId: true, CloseDate: true, IsWon: true })
    expect(groupable).toMatchObject({ Amount: false, Probability: false, SystemModstamp: false })
    expect(opportunity.childRelationships).toEqual([
      expect.objectContaining({
        childSObject: 'OpportunityTeamMember',
        field: 'OpportunityId',
        relationshipName: 'OpportunityTeamMembers',
        cascadeDelete: true,
        junctionIdListNames: [],
      }),
    ])
    const user = await conn.sobject('User').describe()
    expect(user.childRelationships.map((r) => r.relationshipName)).toContain('ManagedUsers')
  })

  it('returns only the ?fields= asked for, and 400 INVALID_FIELD for an unknown one', async () => {
    const record = (await conn
      .sobject('Opportunity')
      .retrieve(sample.Id, { fields: ['Name', 'stagename'] })) as Record<string, unknown>
    expect(Object.keys(record)).toEqual(['attributes', 'Name', 'StageName'])
    const unknown = await get(`/sobjects/Opportunity/${sample.Id}?fields=Name,Bogus__c`)
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Bogus__c' on entity 'Opportunity'"),
      },
    ])
  })

  it('accepts an 18-character id in any case and the 15-character id, in paths and in SOQL', async () => {
    const id15 = sample.Id.slice(0, 15)
    for (const id of [sample.Id.toLowerCase(), sample.Id.toUpperCase(), id15]) {
      const response = await get(`/sobjects/Opportunity/${id}?fields=Id,Name`)
      expect(response.status, id).toBe(200)
      expect(await response.json(), id).toMatchObject({ Id: sample.Id, Name: sample.Name })
      const found = await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${id}'`)
      expect(found.records, id).toEqual([expect.objectContaining({ Id: sample.Id })])
    }
    // The 15-character id is case-sensitive: another casing is another (here: no) record.
    const other = id15.toLowerCase() === id15 ? id15.toUpperCase() : id15.toLowerCase()
    expect((await get(`/sobjects/Opportunity/${other}`)).status).toBe(404)
    const updated = (await conn
      .sobject('Opportunity')
      .update({ Id: sample.Id.toLowerCase(), NextStep: 'any case' })) as {
      success: boolean
    }
    expect(updated.success).toBe(true)
    expect(((await conn.sobject('Opportunity').retrieve(sample.Id)) as { NextStep: string }).NextStep).toBe(
      'any case',
    )
  })
})
