import { describe, expect, it } from 'vitest'
import { compileQuery } from './compile.js'
import { runQuery } from './execute.js'
import { sampleOrg } from './testing/memory-source.js'

const ds = sampleOrg()

function names(soql: string, includeDeleted = false): string[] {
  return runQuery(compileQuery(soql, ds), ds, { includeDeleted }).map((r) => String(r['Name']))
}

describe('WHERE operators', () => {
  it('= on strings is case-insensitive', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Name = 'ALPHA'")).toEqual(['Alpha'])
    expect(names("SELECT Id FROM Opportunity WHERE Region__c = 'emea'")).toEqual(['Alpha', 'delta 100%'])
  })

  it('!= and <> include rows whose field is null', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Region__c != 'EMEA'")).toEqual([
      'beta',
      'Gamma_1',
      "O'Brien deal",
    ])
    expect(names("SELECT Id FROM Opportunity WHERE Region__c <> 'EMEA'")).toEqual([
      'beta',
      'Gamma_1',
      "O'Brien deal",
    ])
  })

  it('numeric comparisons skip nulls', () => {
    expect(names('SELECT Id FROM Opportunity WHERE Amount > 1000')).toEqual(['beta', 'delta 100%'])
    expect(names('SELECT Id FROM Opportunity WHERE Amount >= 1000')).toEqual(['Alpha', 'beta', 'delta 100%'])
    expect(names('SELECT Id FROM Opportunity WHERE Amount < 1000')).toEqual(["O'Brien deal"])
    expect(names('SELECT Id FROM Opportunity WHERE Amount <= 1000.0')).toEqual(['Alpha', "O'Brien deal"])
    expect(names('SELECT Id FROM Opportunity WHERE Amount = 125000.5')).toEqual(['delta 100%'])
  })

  it('null comparisons', () => {
    expect(names('SELECT Id FROM Opportunity WHERE Amount = null')).toEqual(['Gamma_1'])
    expect(names('SELECT Id FROM Opportunity WHERE AccountId != null AND Region__c = null')).toEqual(['beta'])
  })

  it('boolean literals', () => {
    expect(names('SELECT Id FROM Opportunity WHERE IsWon = true')).toEqual(['Gamma_1'])
    expect(names('SELECT Id FROM Opportunity WHERE IsWon = FALSE AND Amount > 100000')).toEqual([
      'beta',
      'delta 100%',
    ])
  })

  it('IN and NOT IN (NOT IN drops nulls, IN matches null only when listed)', () => {
    expect(names("SELECT Id FROM Opportunity WHERE StageName IN ('prospecting', 'Closed Won')")).toEqual([
      'Alpha',
      'Gamma_1',
      "O'Brien deal",
    ])
    expect(names("SELECT Id FROM Opportunity WHERE Region__c NOT IN ('EMEA', 'APAC')")).toEqual(['Gamma_1'])
    expect(names("SELECT Id FROM Opportunity WHERE Region__c IN ('APAC', null)")).toEqual([
      'beta',
      "O'Brien deal",
    ])
  })

  it('LIKE with % and _, case-insensitive, with escapes', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE 'a%'")).toEqual(['Alpha'])
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE '%E%'")).toEqual([
      'beta',
      'delta 100%',
      "O'Brien deal",
    ])
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE 'b_ta'")).toEqual(['beta'])
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE '%100\\%'")).toEqual(['delta 100%'])
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE 'gamma\\_%'")).toEqual(['Gamma_1'])
    expect(names("SELECT Id FROM Opportunity WHERE Name LIKE 'gamma\\_'")).toEqual([])
  })

  it('string escapes', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Name = 'o\\'brien DEAL'")).toEqual(["O'Brien deal"])
  })

  it('AND, OR, NOT with parentheses', () => {
    expect(
      names("SELECT Id FROM Opportunity WHERE (StageName = 'Prospecting' OR IsWon = true) AND Amount > 500"),
    ).toEqual(['Alpha'])
    expect(
      names("SELECT Id FROM Opportunity WHERE StageName = 'Prospecting' OR IsWon = true OR Amount = 0"),
    ).toEqual(['Alpha', 'Gamma_1', "O'Brien deal"])
    expect(names("SELECT Id FROM Opportunity WHERE NOT (StageName = 'Prospecting' OR IsWon = true)")).toEqual(
      ['beta', 'delta 100%'],
    )
    expect(names("SELECT Id FROM Opportunity WHERE Amount > 0 AND (NOT StageName = 'Prospecting')")).toEqual([
      'beta',
      'delta 100%',
    ])
    expect(names("SELECT Id FROM Opportunity WHERE Amount > 0 AND NOT StageName = 'Prospecting'")).toEqual([
      'beta',
      'delta 100%',
    ])
    expect(
      names(
        'SELECT Id FROM Opportunity WHERE ((Amount > 0 AND Amount < 2000) OR IsWon = true) AND Region__c != null',
      ),
    ).toEqual(['Alpha', 'Gamma_1'])
  })

  it('filters on parent fields; an empty lookup gives null', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Account.Name = 'GLOBEX'")).toEqual([
      'beta',
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity WHERE Account.Name = null')).toEqual(['Gamma_1'])
    expect(names("SELECT Id FROM Opportunity WHERE Owner.Manager.Email = 'ada@example.com'")).toEqual([
      'Alpha',
      'Gamma_1',
      "O'Brien deal",
    ])
  })

  it('ids compare on their 15-character form', () => {
    const id18 = '006000000000001AAA'
    expect(names(`SELECT Id FROM Opportunity WHERE Id = '${id18}'`)).toEqual(['Alpha'])
    expect(names(`SELECT Id FROM Opportunity WHERE Id = '${id18.slice(0, 15)}'`)).toEqual(['Alpha'])
    expect(names("SELECT Id FROM Opportunity WHERE Id > '006000000000003' ORDER BY Id")).toEqual([
      'delta 100%',
      "O'Brien deal",
    ])
  })
})

describe('date and datetime literals', () => {
  it('date literals', () => {
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-31')).toEqual(['Alpha'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate < 2024-01-31')).toEqual([
      'Gamma_1',
      'delta 100%',
    ])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate >= 2024-02-15')).toEqual([
      'beta',
      "O'Brien deal",
    ])
  })

  it('datetime literals with Z, offsets and milliseconds', () => {
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp = 2024-01-31T12:00:00Z')).toEqual(['Alpha'])
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-31T12:00:00Z')).toEqual([
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp = 2024-01-31T13:00:00+01:00')).toEqual([
      'Alpha',
    ])
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp >= 2024-01-31T06:59:59.999-05:00')).toEqual(
      ['Alpha', 'Gamma_1', "O'Brien deal"],
    )
  })

  it('relative date literals use the org clock (2024-01-31T12:00Z in the fixture)', () => {
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = TODAY')).toEqual(['Alpha'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = YESTERDAY')).toEqual(['delta 100%'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate > TODAY')).toEqual(['beta', "O'Brien deal"])
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp = TODAY')).toEqual([
      'Alpha',
      'Gamma_1',
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity WHERE SystemModstamp = LAST_N_DAYS:1')).toEqual([
      'Alpha',
      'beta',
      'Gamma_1',
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:15')).toEqual(['beta'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = THIS_MONTH')).toEqual(['Alpha', 'delta 100%'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = LAST_YEAR')).toEqual(['Gamma_1'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate = N_MONTHS_AGO:1')).toEqual(['Gamma_1'])
    expect(names('SELECT Id FROM Opportunity WHERE CloseDate IN (THIS_MONTH, NEXT_MONTH)')).toEqual([
      'Alpha',
      'beta',
      'delta 100%',
    ])
  })
})

describe('ORDER BY, LIMIT, OFFSET, deleted rows', () => {
  it('sorts case-insensitively, several keys, ASC puts nulls first by default', () => {
    expect(names('SELECT Id FROM Opportunity ORDER BY Name')).toEqual([
      'Alpha',
      'beta',
      'delta 100%',
      'Gamma_1',
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity ORDER BY Amount')).toEqual([
      'Gamma_1',
      "O'Brien deal",
      'Alpha',
      'delta 100%',
      'beta',
    ])
    expect(names('SELECT Id FROM Opportunity ORDER BY Amount DESC')).toEqual([
      'beta',
      'delta 100%',
      'Alpha',
      "O'Brien deal",
      'Gamma_1',
    ])
    expect(names('SELECT Id FROM Opportunity ORDER BY Amount ASC NULLS LAST')).toEqual(
      ['Gamma_1', "O'Brien deal", 'Alpha', 'delta 100%', 'beta'].slice(1).concat('Gamma_1'),
    )
    expect(names('SELECT Id FROM Opportunity ORDER BY Amount DESC NULLS FIRST')).toEqual([
      'Gamma_1',
      'beta',
      'delta 100%',
      'Alpha',
      "O'Brien deal",
    ])
    expect(names('SELECT Id FROM Opportunity ORDER BY StageName DESC, Amount')).toEqual([
      "O'Brien deal",
      'Alpha',
      'beta',
      'Gamma_1',
      'delta 100%',
    ])
    expect(names('SELECT Id FROM Opportunity ORDER BY Account.Name NULLS LAST, Name DESC')).toEqual([
      'delta 100%',
      'Alpha',
      "O'Brien deal",
      'beta',
      'Gamma_1',
    ])
  })

  it('LIMIT and OFFSET', () => {
    expect(names('SELECT Id FROM Opportunity ORDER BY Name LIMIT 2')).toEqual(['Alpha', 'beta'])
    expect(names('SELECT Id FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 2')).toEqual([
      'delta 100%',
      'Gamma_1',
    ])
    expect(names('SELECT Id FROM Opportunity LIMIT 1')).toEqual(['Alpha'])
    expect(names('SELECT Id FROM Opportunity ORDER BY Name OFFSET 4')).toEqual(["O'Brien deal"])
  })

  it('deleted rows only with includeDeleted (queryAll)', () => {
    expect(names("SELECT Id FROM Opportunity WHERE Name = 'Deleted one'")).toEqual([])
    expect(names("SELECT Id FROM Opportunity WHERE Name = 'Deleted one'", true)).toEqual(['Deleted one'])
    expect(names('SELECT Id FROM Opportunity WHERE IsDeleted = true')).toEqual([])
    expect(names('SELECT Id FROM Opportunity WHERE IsDeleted = true', true)).toEqual(['Deleted one'])
  })

  it('COUNT()', () => {
    const q = compileQuery('SELECT COUNT() FROM Opportunity WHERE Amount > 0', ds)
    expect(q.isCount).toBe(true)
    expect(runQuery(q, ds, { includeDeleted: false })).toHaveLength(3)
    expect(
      runQuery(compileQuery('SELECT COUNT() FROM Opportunity', ds), ds, { includeDeleted: true }),
    ).toHaveLength(6)
  })

  it('accepts aliases and object-name prefixes', () => {
    expect(names("SELECT o.Name, o.Account.Name FROM Opportunity o WHERE o.Name = 'beta'")).toEqual(['beta'])
    expect(names("SELECT Opportunity.Name FROM Opportunity WHERE Opportunity.Name = 'beta'")).toEqual([
      'beta',
    ])
  })
})
