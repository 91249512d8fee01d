import { describe, expect, it } from 'vitest'
import { compileQuery } from './compile.js'
import { SoqlError } from './errors.js'
import { sampleOrg } from './testing/memory-source.js'

const ds = sampleOrg()

function error(soql: string): SoqlError {
  try {
    compileQuery(soql, ds)
  } catch (err) {
    if (err instanceof SoqlError) return err
    throw err
  }
  throw new Error(`expected ${soql} to fail`)
}

describe('Salesforce error codes', () => {
  it('unknown object → INVALID_TYPE with the caret prefix', () => {
    const e = error('SELECT Id FROM ScratchOrgInfo limit 1')
    expect(e.errorCode).toBe('INVALID_TYPE')
    expect(e.statusCode).toBe(400)
    expect(e.message).toBe(
      "\nSELECT Id FROM ScratchOrgInfo limit 1\n               ^\nERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    )
  })

  it('unknown field → INVALID_FIELD pointing at the column', () => {
    const e = error('SELECT Bacon__c FROM Account LIMIT 2')
    expect(e.errorCode).toBe('INVALID_FIELD')
    expect(e.message).toBe(
      "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    )
  })

  it('hidden field (field-level security) → INVALID_FIELD', () => {
    const e = error('SELECT Id, Secret__c FROM User')
    expect(e.errorCode).toBe('INVALID_FIELD')
    expect(e.message).toContain("No such column 'Secret__c' on entity 'User'")
  })

  it('unknown field in WHERE and ORDER BY, unknown relationship, unknown parent field', () => {
    expect(error("SELECT Id FROM Opportunity WHERE Nope = 'x'").message).toContain('ERROR at Row:1:Column:34')
    expect(error('SELECT Id FROM Opportunity ORDER BY Nope').errorCode).toBe('INVALID_FIELD')
    const rel = error('SELECT Id, Foo.Name FROM Opportunity')
    expect(rel.errorCode).toBe('INVALID_FIELD')
    expect(rel.message).toContain("Didn't understand relationship 'Foo' in field path")
    expect(error('SELECT Account.Nope FROM Opportunity').message).toContain(
      "No such column 'Nope' on entity 'Account'",
    )
  })

  it('parse errors → MALFORMED_QUERY unexpected token', () => {
    expect(error('SELECT Id FRM Opportunity').errorCode).toBe('MALFORMED_QUERY')
    expect(error('SELECT Id FRM Opportunity').message).toMatch(/^unexpected token: /)
    expect(error('SELECT Id FROM').message).toBe('unexpected token: <EOF>')
    expect(error("SELECT Id FROM Opportunity WHERE Name = 'open").errorCode).toBe('MALFORMED_QUERY')
  })

  it('mixing AND/OR (or a bare NOT) without parentheses → MALFORMED_QUERY', () => {
    expect(error("SELECT Id FROM Opportunity WHERE Name = 'a' OR Name = 'b' AND Amount > 1").errorCode).toBe(
      'MALFORMED_QUERY',
    )
    expect(error("SELECT Id FROM Opportunity WHERE NOT Name = 'a' AND Amount > 1").errorCode).toBe(
      'MALFORMED_QUERY',
    )
  })

  it('literal of the wrong type for the field', () => {
    expect(error("SELECT Id FROM Opportunity WHERE CloseDate = '2024-01-01'").message).toContain(
      'must be of type date and should not be enclosed in quotes',
    )
    expect(error('SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01').errorCode).toBe(
      'INVALID_FIELD',
    )
    expect(error('SELECT Id FROM Opportunity WHERE Name = 5').message).toContain(
      'must be of type string and should be enclosed in quotes',
    )
    expect(error("SELECT Id FROM Opportunity WHERE Amount = '5'").errorCode).toBe('INVALID_FIELD')
    expect(error("SELECT Id FROM Opportunity WHERE IsWon = 'true'").errorCode).toBe('INVALID_FIELD')
    expect(error("SELECT Id FROM Opportunity WHERE Id = 'abc'").errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    )
    expect(error('SELECT Id FROM Opportunity WHERE IsWon > true').errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    )
    expect(error('SELECT Id FROM Opportunity WHERE Amount LIKE 5').errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    )
  })

  it('long text cannot be filtered or sorted; OFFSET over 2000 is refused', () => {
    expect(error("SELECT Id FROM Opportunity WHERE Description = 'x'").errorCode).toBe('INVALID_FIELD')
    expect(error('SELECT Id FROM Opportunity ORDER BY Description').errorCode).toBe('INVALID_FIELD')
    expect(error('SELECT Id FROM Opportunity OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE')
  })

  it('duplicate fields and COUNT() mixed with fields are refused', () => {
    expect(error('SELECT Id, id FROM Opportunity').message).toBe('duplicate field selected: Id')
    expect(error('SELECT COUNT(), Name FROM Opportunity').errorCode).toBe('MALFORMED_QUERY')
  })

  it('refuses what Salesforce refuses in aggregate queries', () => {
    expect(error('SELECT COUNT() FROM Opportunity ORDER BY Name')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: 'Ordered field must be grouped or aggregated: Name',
    })
    expect(error('SELECT SUM(Amount) FROM Opportunity LIMIT 5').message).toContain('requires GROUP BY')
    for (const field of ['Amount', 'SystemModstamp', 'Description']) {
      const e = error(`SELECT ${field}, COUNT(Id) FROM Opportunity GROUP BY ${field}`)
      expect(e.errorCode).toBe('INVALID_FIELD')
      expect(e.message).toContain(`field '${field}' can not be grouped in a query call`)
      expect(e.message).toContain('ERROR at Row:1:Column:')
    }
  })

  it.each([
    ['SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1', 'HAVING'],
    ['SELECT AVG(Amount) FROM Opportunity', 'aggregate function'],
    ['SELECT StageName, MAX(Amount) FROM Opportunity GROUP BY StageName', 'aggregate function'],
    ['SELECT Id, (SELECT Id, (SELECT Id FROM Opportunities) FROM ChildAccounts) FROM Account', 'subquery'],
    ['SELECT TYPEOF What WHEN Account THEN Name END FROM Opportunity', 'TYPEOF'],
    ['SELECT Id FROM Opportunity FOR UPDATE', 'FOR UPDATE'],
    ['SELECT Id FROM Opportunity WHERE AccountId IN (SELECT Id FROM Account)', 'semi-join'],
    ['SELECT FIELDS(ALL) FROM Opportunity LIMIT 200', 'FIELDS()'],
    ['SELECT toLabel(StageName) FROM Opportunity', 'toLabel'],
    ['SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2024', 'CALENDAR_YEAR'],
    ['SELECT Id FROM Opportunity USING SCOPE Mine', 'USING SCOPE'],
    ['SELECT Id FROM Opportunity WHERE Amount > USD100', 'currency'],
  ])('unsupported construct fails loudly: %s', (soql, mention) => {
    const e = error(soql)
    expect(e.errorCode).toBe('MALFORMED_QUERY')
    expect(e.message).toContain(mention)
    expect(e.message).toContain('not supported by the Salesforce emulator')
  })
})
