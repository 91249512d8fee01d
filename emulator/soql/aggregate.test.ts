import { describe, expect, it } from 'vitest'

import { QueryService } from './query-service.js'
import { sampleOrg } from './testing/memory-source.js'

const service = new QueryService(sampleOrg())
const run = (soql: string) =>
  JSON.parse(service.start(soql, false, { version: '60.0', batchSize: 2000 }).toString('utf8')) as {
    totalSize: number
    done: boolean
    records: Array<Record<string, unknown>>
  }

describe('aggregate queries', () => {
  it('groups with COUNT(field) and SUM(field) into AggregateResult records named exprN', () => {
    const body = run('SELECT StageName, COUNT(Id), SUM(Amount) FROM Opportunity GROUP BY StageName')
    expect(body).toMatchObject({ totalSize: 4, done: true })
    const byStage = Object.fromEntries(body.records.map((r) => [r['StageName'], r]))
    expect(byStage['Prospecting']).toEqual({
      attributes: { type: 'AggregateResult' },
      StageName: 'Prospecting',
      expr0: 2,
      expr1: 1000,
    })
    // SUM over only null amounts is null; COUNT(field) counts non-null values.
    expect(byStage['Closed Won']).toMatchObject({ expr0: 1, expr1: null })
  })

  it('answers one row without GROUP BY, also when nothing matches, and honours aliases and WHERE', () => {
    expect(run('SELECT COUNT(Id) n, SUM(Amount) total FROM Opportunity').records).toEqual([
      { attributes: { type: 'AggregateResult' }, n: 5, total: 376000.5 },
    ])
    expect(run("SELECT COUNT(Id), SUM(Amount) FROM Opportunity WHERE Name = 'nobody'").records).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null },
    ])
  })

  it('keeps the first n groups with GROUP BY … LIMIT n', () => {
    const body = run('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName LIMIT 2')
    expect(body).toMatchObject({ totalSize: 2, done: true })
    expect(body.records).toHaveLength(2)
    expect(run('SELECT IsWon, COUNT(Id) FROM Opportunity GROUP BY IsWon').totalSize).toBeGreaterThan(0)
  })

  it('refuses an ungrouped field and a SUM over text', () => {
    expect(() => run('SELECT StageName, COUNT(Id) FROM Opportunity')).toThrow(/can not be grouped/)
    expect(() => run('SELECT SUM(Name) FROM Opportunity')).toThrow(/does not support aggregate operator SUM/)
  })
})
