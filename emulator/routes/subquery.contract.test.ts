// Parent-to-child subqueries (issue 14 item 2) through unmodified jsforce: `.include()` writes the subquery and
// reads the nested `{totalSize, done, records}` results; raw HTTP for the exact shape and the errors.
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

interface Team {
  Id: string
  OpportunityTeamMembers: {
    totalSize: number
    done: boolean
    records: Array<{ Id: string; UserId: string; TeamMemberRole: string }>
  } | null
}

describe('parent-to-child relationship subqueries', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection
  // Team members per opportunity as the org holds them.
  const teams = new Map<string, Array<{ Id: string; UserId: string; TeamMemberRole: string }>>()

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 60, seed: 9 })
    conn = await jsforceConnection(emulator, V)
    for (const m of emulator.org.records.allRecords('OpportunityTeamMember')) {
      const list = teams.get(String(m['OpportunityId'])) ?? []
      list.push({
        Id: String(m['Id']),
        UserId: String(m['UserId']),
        TeamMemberRole: String(m['TeamMemberRole']),
      })
      teams.set(String(m['OpportunityId']), list)
    }
    expect(teams.size).toBeGreaterThan(2)
  })
  afterAll(() => emulator.close())

  it('returns each opportunity with its team through jsforce include()', async () => {
    const records = (await conn
      .sobject('Opportunity')
      .find({}, ['Id'])
      .include('OpportunityTeamMembers')
      .select(['Id', 'UserId', 'TeamMemberRole'])
      .end()
      .execute({ autoFetch: true })) as unknown as Team[]
    expect(records).toHaveLength(60)
    for (const record of records) {
      const team = teams.get(record.Id)
      if (!team) {
        expect(record.OpportunityTeamMembers).toBeNull()
        continue
      }
      expect(record.OpportunityTeamMembers).toMatchObject({ totalSize: team.length, done: true })
      const members = record.OpportunityTeamMembers?.records ?? []
      expect(members.map(({ Id, UserId, TeamMemberRole }) => ({ Id, UserId, TeamMemberRole }))).toEqual(
        expect.arrayContaining(team),
      )
      expect(members).toHaveLength(team.length)
    }
  })

  it('writes the documented nested shape, with WHERE, ORDER BY and LIMIT per parent', async () => {
    const [id, team] = [...teams.entries()].find(([, members]) => members.length > 1) as [
      string,
      Array<{ Id: string; UserId: string }>,
    ]
    const soql = `SELECT Name, (SELECT UserId FROM opportunityteammembers WHERE UserId != null ORDER BY Id DESC LIMIT 1), Id FROM Opportunity WHERE Id = '${id}'`
    const response = await fetch(`${emulator.url}/services/data/v${V}/query?q=${encodeURIComponent(soql)}`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    })
    const body = (await response.json()) as { records: Array<Record<string, unknown>> }
    const last = [...team].sort((a, b) => (a.Id < b.Id ? 1 : -1))[0]
    const record = body.records[0] as Record<string, unknown>
    // Keys in SELECT order, the subquery at its place under describe's spelling.
    expect(Object.keys(record)).toEqual(['attributes', 'Name', 'OpportunityTeamMembers', 'Id'])
    expect(record['OpportunityTeamMembers']).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: {
            type: 'OpportunityTeamMember',
            url: `/services/data/v${V}/sobjects/OpportunityTeamMember/${last?.Id}`,
          },
          UserId: last?.UserId,
        },
      ],
    })
  })

  it('refuses an unknown child relationship with INVALID_TYPE, and Bulk API 2.0 refuses subqueries', async () => {
    const error: unknown = await conn.query('SELECT Id, (SELECT Id FROM Nopes) FROM Opportunity').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' })
    expect((error as Error).message).toContain(
      "Didn't understand relationship 'Nopes' in FROM part of query call",
    )
    const bulk = await conn.bulk2
      .query('SELECT Id, (SELECT Id FROM OpportunityTeamMembers) FROM Opportunity')
      .catch((e: unknown) => e)
    expect(bulk).toMatchObject({ errorCode: 'MALFORMED_QUERY' })
  })
})
