// The currencies of a multi-currency org (CurrencyType rows) and conversion with their rates.
// "ConversionRate: conversion rate of this currency type against the corporate currency"; "DecimalPlaces: the
// number of digits to the right of the decimal point, such as zero (0) for JPY or 2 for USD" (Object Reference,
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_currencytype.htm).
// So an amount in a currency is its corporate value times that currency's rate. Advanced currency management
// (dated rates, DatedConversionRate) is not emulated: the docs say convertCurrency() then uses the rate current at
// the record's date, and without it "the most recent conversion date entered", which is what one rate per currency is.
import type { SfRecord, SoqlDataSource } from './model.js'
import type { RecordStore } from './record-store.js'

export interface CurrencyTypeSeed {
  IsoCode: string
  ConversionRate: number
  DecimalPlaces: number
  IsActive: boolean
  IsCorporate: boolean
}

/** The emulator's seed (rates are examples, not market data); the control API's record routes change them. */
export const DEFAULT_CURRENCY_TYPES: readonly CurrencyTypeSeed[] = [
  { IsoCode: 'USD', ConversionRate: 1, DecimalPlaces: 2, IsActive: true, IsCorporate: true },
  { IsoCode: 'EUR', ConversionRate: 0.92, DecimalPlaces: 2, IsActive: true, IsCorporate: false },
  { IsoCode: 'GBP', ConversionRate: 0.79, DecimalPlaces: 2, IsActive: true, IsCorporate: false },
  { IsoCode: 'JPY', ConversionRate: 150, DecimalPlaces: 0, IsActive: true, IsCorporate: false },
]

export function seedCurrencyTypes(records: RecordStore): void {
  for (const seed of DEFAULT_CURRENCY_TYPES) records.insert('CurrencyType', { ...seed }, null)
}

export interface CurrencyRates {
  corporate: string
  corporateDecimals: number
  /** Units of the currency per one unit of the corporate currency, by ISO code. */
  rates: Map<string, number>
}

/** The org's rates as they are now; undefined in a single-currency org (no CurrencyType object). */
export function currencyRates(ds: SoqlDataSource): CurrencyRates | undefined {
  if (!ds.describeObject('CurrencyType')) return undefined
  const rows = [...ds.allRecords('CurrencyType')]
  const corporate = rows.find((row) => row['IsCorporate'] === true)
  const rates = new Map<string, number>()
  for (const row of rows) {
    const rate = row['ConversionRate']
    if (typeof row['IsoCode'] === 'string' && typeof rate === 'number' && rate > 0)
      rates.set(row['IsoCode'], rate)
  }
  return {
    corporate: typeof corporate?.['IsoCode'] === 'string' ? corporate['IsoCode'] : 'USD',
    corporateDecimals: typeof corporate?.['DecimalPlaces'] === 'number' ? corporate['DecimalPlaces'] : 2,
    rates,
  }
}

/**
 * An amount in `currency` as the corporate currency, unrounded (callers round once, after adding up). A record
 * whose currency has no rate keeps its number: the docs do not say what Salesforce does then (every record's
 * currency is an org currency there, so it cannot happen).
 */
export function toCorporate(amount: number, currency: unknown, rates: CurrencyRates): number {
  const rate = typeof currency === 'string' ? rates.rates.get(currency) : undefined
  return rate === undefined ? amount : amount / rate
}

export function roundTo(amount: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(amount * factor) / factor
}

/** The currency of the record a currency field was read from: its own CurrencyIsoCode. */
export function currencyOf(record: SfRecord | undefined): unknown {
  return record?.['CurrencyIsoCode']
}
