import { describe, expect, it } from 'vitest'
import { columnMetadata } from './column-metadata.js'
import { compileQuery } from './compile.js'
import { runQuery } from './execute.js'
import { compileCsvWriter } from './format-csv.js'
import { compileRecordWriter, formatDatetime, recordJson } from './format-json.js'
import { makeId, sampleOrg } from './testing/memory-source.js'

const ds = sampleOrg()

function json(soql: string): unknown[] {
  const q = compileQuery(soql, ds)
  const w = compileRecordWriter(q.object.name, q.columns, '60.0', ds)
  return runQuery(q, ds, { includeDeleted: false }).map((r) => JSON.parse(recordJson(w, r)) as unknown)
}

describe('record JSON', () => {
  it('writes attributes, fields in SELECT order, Salesforce value formats and nested parents', () => {
    const [alpha, , gamma] = json(
      'SELECT Name, Amount, CloseDate, SystemModstamp, IsWon, Account.Name, Owner.Email, Account.Industry, Region__c FROM Opportunity',
    ) as Record<string, unknown>[]
    expect(JSON.stringify(alpha)).toBe(
      JSON.stringify({
        attributes: {
          type: 'Opportunity',
          url: `/services/data/v60.0/sobjects/Opportunity/${makeId('006', 1)}`,
        },
        Name: 'Alpha',
        Amount: 1000,
        CloseDate: '2024-01-31',
        SystemModstamp: '2024-01-31T12:00:00.000+0000',
        IsWon: false,
        Account: {
          attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${makeId('001', 1)}` },
          Name: 'Acme "Quoted", Inc',
          Industry: 'Tech',
        },
        Owner: {
          attributes: { type: 'User', url: `/services/data/v60.0/sobjects/User/${makeId('005', 2)}` },
          Email: 'bob@example.com',
        },
        Region__c: 'EMEA',
      }),
    )
    expect(gamma?.['Account']).toBeNull()
    expect(gamma?.['Amount']).toBeNull()
  })

  it('nests two levels and uses canonical field names', () => {
    const [alpha] = json('select name, owner.manager.name from opportunity order by name limit 1') as Record<
      string,
      unknown
    >[]
    expect(alpha?.['Name']).toBe('Alpha')
    const owner = alpha?.['Owner'] as Record<string, unknown>
    expect((owner['Manager'] as Record<string, unknown>)['Name']).toBe('Ada Boss')
  })

  it('formats datetimes in UTC with milliseconds and +0000', () => {
    expect(formatDatetime(Date.UTC(2024, 0, 31, 12, 0, 0, 7))).toBe('2024-01-31T12:00:00.007+0000')
    // The hand-rolled formatter agrees with toISOString across days, leap days and before 1970.
    const samples = [0, -1, Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 23, 59, 59, 999)]
    for (let i = 0; i < 5000; i++) samples.push(Date.UTC(2024, 0, 1) - i * 7_777_777 - (i % 1000))
    for (const ms of samples)
      expect(formatDatetime(ms)).toBe(new Date(ms).toISOString().replace('Z', '+0000'))
  })
})

describe('CSV', () => {
  it('quotes every value, doubles quotes, empty for null, dotted parent columns', () => {
    const q = compileQuery(
      "SELECT Id, Name, Account.Name, Amount, SystemModstamp, IsWon FROM Opportunity WHERE Name IN ('Alpha', 'Gamma_1')",
      ds,
    )
    const csv = compileCsvWriter(q.columns, 'COMMA', 'LF')
    const rows = runQuery(q, ds, { includeDeleted: false })
    expect(csv.header).toBe('"Id","Name","Account.Name","Amount","SystemModstamp","IsWon"\n')
    expect(rows.map(csv.row)).toEqual([
      `"${makeId('006', 1)}","Alpha","Acme ""Quoted"", Inc","1000","2024-01-31T12:00:00.000Z","false"\n`,
      `"${makeId('006', 3)}","Gamma_1",,,"2024-01-31T11:59:59.999Z","true"\n`,
    ])
    const pipe = compileCsvWriter(q.columns, 'PIPE', 'CRLF')
    expect(pipe.row(rows[0] as never).endsWith('"false"\r\n')).toBe(true)
    expect(pipe.header.split('|')).toHaveLength(6)
  })
})

describe('columns=true metadata', () => {
  it('lists columns with joinColumns for parent fields', () => {
    const meta = columnMetadata(
      compileQuery('SELECT Id, Name, Account.Name, Owner.Manager.Email FROM Opportunity', ds),
    )
    expect(meta['entityName']).toBe('Opportunity')
    expect(meta['idSelected']).toBe(true)
    const cols = meta['columnMetadata'] as {
      columnName: string
      joinColumns: { columnName: string; joinColumns: { columnName: string }[] }[]
    }[]
    expect(cols.map((c) => c.columnName)).toEqual(['Id', 'Name', 'Account', 'Owner'])
    expect(cols[2]?.joinColumns.map((c) => c.columnName)).toEqual(['Name'])
    expect(cols[3]?.joinColumns[0]?.columnName).toBe('Manager')
    expect(cols[3]?.joinColumns[0]?.joinColumns[0]?.columnName).toBe('Email')
  })
})
