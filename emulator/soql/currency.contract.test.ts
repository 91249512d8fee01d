// Multi-currency orgs (issue 14 item 6) through unmodified jsforce: CurrencyType in describe and SOQL, amounts in
// the record's currency, convertCurrency() in SELECT, aggregates in the corporate currency, and the refusals the
// docs name (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm).
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'

const V = '62.0'

describe('multi-currency org', () => {
  let emulator: RunningEmulator
  let single: RunningEmulator
  let conn: jsforce.Connection
  const ids: string[] = []

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 0, seed: 6, multiCurrency: true })
    single = await startEmulator({ opportunities: 0, seed: 6 })
    conn = await jsforceConnection(emulator, V)
    const owner = emulator.org.integrationUserId
    // 1,000 USD + 920 EUR (= 1,000 USD) + 150,000 JPY (= 1,000 USD) + 460 EUR (= 500 USD), at the seed's rates.
    for (const [code, amount] of [
      ['USD', 1000],
      ['EUR', 920],
      ['JPY', 150000],
      ['EUR', 460],
    ] as const) {
      const record = emulator.org.records.insert(
        'Opportunity',
        {
          Name: `Deal ${code} ${amount}`,
          StageName: 'Prospecting',
          CloseDate: '2027-01-15',
          Amount: amount,
          CurrencyIsoCode: code,
          OwnerId: owner,
        },
        owner,
      )
      ids.push(String(record['Id']))
    }
  })
  afterAll(async () => {
    await emulator.close()
    await single.close()
  })

  it('describes and queries CurrencyType with the documented fields', async () => {
    const describe = await conn.sobject('CurrencyType').describe()
    const types = Object.fromEntries(describe.fields.map((f) => [f.name, f.type]))
    expect(types).toMatchObject({
      IsoCode: 'picklist',
      ConversionRate: 'double',
      DecimalPlaces: 'int',
      IsActive: 'boolean',
      IsCorporate: 'boolean',
    })
    const result = await conn.query<Record<string, unknown>>(
      'SELECT IsoCode, ConversionRate, DecimalPlaces, IsCorporate, IsActive FROM CurrencyType WHERE IsActive = true ORDER BY IsoCode',
    )
    expect(result.records.map(({ attributes: _, ...rest }) => rest)).toEqual([
      { IsoCode: 'EUR', ConversionRate: 0.92, DecimalPlaces: 2, IsCorporate: false, IsActive: true },
      { IsoCode: 'GBP', ConversionRate: 0.79, DecimalPlaces: 2, IsCorporate: false, IsActive: true },
      { IsoCode: 'JPY', ConversionRate: 150, DecimalPlaces: 0, IsCorporate: false, IsActive: true },
      { IsoCode: 'USD', ConversionRate: 1, DecimalPlaces: 2, IsCorporate: true, IsActive: true },
    ])
    const opportunity = await conn.sobject('Opportunity').describe()
    expect(opportunity.fields.find((f) => f.name === 'CurrencyIsoCode')?.type).toBe('picklist')
  })

  it('has no CurrencyType and no CurrencyIsoCode in a single-currency org', async () => {
    const other = await jsforceConnection(single, V)
    await expect(other.query('SELECT IsoCode FROM CurrencyType')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    })
    const opportunity = await other.sobject('Opportunity').describe()
    expect(opportunity.fields.some((f) => f.name === 'CurrencyIsoCode')).toBe(false)
    await expect(other.query('SELECT convertCurrency(Amount) FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    })
  })

  it('returns amounts in the record currency and convertCurrency(Amount) in the corporate one', async () => {
    const result = await conn.query<Record<string, unknown>>(
      `SELECT Id, CurrencyIsoCode, Amount, convertCurrency(Amount) inUsd FROM Opportunity WHERE Id = '${ids[2]}'`,
    )
    expect(result.records[0]).toMatchObject({ CurrencyIsoCode: 'JPY', Amount: 150000, inUsd: 1000 })
    // Without an alias the converted value keeps the field's name.
    const bare = await conn.query<Record<string, unknown>>(
      `SELECT Id, convertCurrency(Amount) FROM Opportunity WHERE Id = '${ids[3]}'`,
    )
    expect(bare.records[0]).toMatchObject({ Amount: 500 })
  })

  it('sums a currency field in the corporate currency, grouped or not', async () => {
    const grouped = await conn.query<Record<string, unknown>>(
      'SELECT CurrencyIsoCode, COUNT(Id), SUM(Amount) FROM Opportunity GROUP BY CurrencyIsoCode',
    )
    const byCode = Object.fromEntries(
      grouped.records.map((r) => [r['CurrencyIsoCode'], [r['expr0'], r['expr1']]]),
    )
    // EUR 920 + 460 is 1,500 USD, not 1,380 of anything; JPY 150,000 is 1,000 USD.
    expect(byCode).toEqual({ USD: [1, 1000], EUR: [2, 1500], JPY: [1, 1000] })
    const total = await conn.query<Record<string, unknown>>('SELECT SUM(Amount) total FROM Opportunity')
    expect(total.records[0]?.['total']).toBe(3500)
  })

  it('refuses convertCurrency() in WHERE, on an aggregate, on a non-currency field and in ORDER BY', async () => {
    for (const soql of [
      'SELECT Id FROM Opportunity WHERE convertCurrency(Amount) > 5',
      'SELECT convertCurrency(SUM(Amount)) FROM Opportunity',
      'SELECT Id FROM Opportunity ORDER BY convertCurrency(Amount)',
      'SELECT Id, Amount, convertCurrency(Amount) FROM Opportunity',
    ]) {
      await expect(conn.query(soql), soql).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' })
    }
    await expect(conn.query('SELECT convertCurrency(Name) FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    })
  })

  it('converts with the rates as they are now (the control API edits CurrencyType)', async () => {
    const eur = [...emulator.org.records.allRecords('CurrencyType')].find((r) => r['IsoCode'] === 'EUR')
    const response = await fetch(`${emulator.url}/__emulator/records/CurrencyType/${String(eur?.['Id'])}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { ConversionRate: 0.5 } }),
    })
    expect(response.status, await response.text()).toBeLessThan(300)
    const grouped = await conn.query<Record<string, unknown>>(
      "SELECT SUM(Amount) FROM Opportunity WHERE CurrencyIsoCode = 'EUR'",
    )
    expect(grouped.records[0]?.['expr0']).toBe(2760)
  })
})
