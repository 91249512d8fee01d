import { describe, expect, test } from 'vitest'

import {
  amountInputFormat,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatMoneyList,
  formatNumber,
  hasConverted,
  isOverdue,
  todayIso,
} from './format.js'

// Intl output uses narrow/no-break spaces in some locales; compare with ordinary spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

describe('formatMoney', () => {
  test("formats an amount in its record's currency, in the reader's locale", () => {
    expect(formatMoney(12500, 'USD', false, 'en-US')).toBe('$12,500.00')
    expect(plain(formatMoney(12500, 'EUR', false, 'de-DE'))).toBe('12.500,00 €')
    expect(formatMoney(12500, 'EUR', false, 'en-US')).toBe('€12,500.00')
    expect(formatMoney(1000, 'JPY', false, 'ja-JP')).toBe('￥1,000')
  })

  test('compact amounts keep their currency', () => {
    expect(formatMoney(1_250_000, 'USD', true, 'en-US')).toBe('$1.3M')
    expect(plain(formatMoney(1_250_000, 'EUR', true, 'de-DE'))).toBe('1,3 Mio. €')
  })

  test('a missing amount is a dash; an unknown currency code falls back to the number', () => {
    expect(formatMoney(null, 'USD', false, 'en-US')).toBe('—')
    expect(formatMoney(5, 'NOPE1', false, 'en-US')).toBe('5')
  })
})

describe('formatMoneyList', () => {
  test('never adds currencies: one entry per currency', () => {
    const amounts = [
      { amount: 1200, currencyIsoCode: 'USD' },
      { amount: 300, currencyIsoCode: 'EUR' },
    ]
    expect(formatMoneyList(amounts, false, 'en-US')).toBe('$1,200.00 · €300.00')
  })

  test('a total converted into the corporate currency is labelled as converted', () => {
    const amounts = [{ amount: 3500.54, currencyIsoCode: 'USD', converted: true }]
    expect(formatMoneyList(amounts, false, 'en-US')).toBe('$3,500.54 (converted)')
    expect(plain(formatMoneyList(amounts, false, 'de-DE'))).toBe('3.500,54 $ (converted)')
    expect(hasConverted(amounts)).toBe(true)
    expect(hasConverted([{ amount: 1, currencyIsoCode: 'USD' }])).toBe(false)
  })

  test('JPY has no decimals, EUR and USD two, in every locale', () => {
    const amounts = [
      { amount: 150000, currencyIsoCode: 'JPY' },
      { amount: 1380.5, currencyIsoCode: 'EUR' },
      { amount: 1000, currencyIsoCode: 'USD' },
    ]
    expect(formatMoneyList(amounts, false, 'en-US')).toBe('¥150,000 · €1,380.50 · $1,000.00')
    expect(plain(formatMoneyList(amounts, false, 'de-DE'))).toBe('150.000 ¥ · 1.380,50 € · 1.000,00 $')
    expect(plain(formatMoneyList(amounts, false, 'ja-JP'))).toBe('￥150,000 · €1,380.50 · $1,000.00')
  })

  test('a single-currency org shows one amount; nothing at all is a dash, not a bare 0', () => {
    expect(formatMoneyList([{ amount: 50, currencyIsoCode: 'GBP' }], false, 'en-GB')).toBe('£50.00')
    expect(formatMoneyList([], false, 'en-US')).toBe('—')
  })
})

describe('dates', () => {
  test('a Salesforce date is a calendar date that never shifts with the time zone', () => {
    expect(formatDate('2026-03-01', '—', 'en-US')).toBe('Mar 1, 2026')
    expect(formatDate('2026-03-01', '—', 'de-DE')).toBe('01.03.2026')
    expect(formatDate(null)).toBe('—')
    expect(formatDate('not a date')).toBe('—')
  })

  test('a moment is shown in the given time zone and locale', () => {
    expect(plain(formatDateTime('2026-03-01T23:30:00Z', '—', 'en-US', 'UTC'))).toBe('Mar 1, 2026, 11:30 PM')
    expect(formatDateTime('2026-03-01T23:30:00Z', '—', 'de-DE', 'Europe/Berlin')).toBe('02.03.2026, 00:30')
    expect(formatDateTime(null, 'Never')).toBe('Never')
  })

  test('an open deal is overdue once its close date has passed; a closed one never is', () => {
    expect(todayIso(new Date('2026-12-01T10:00:00Z'))).toBe('2026-12-01')
    expect(isOverdue('2026-11-30', false, '2026-12-01')).toBe(true)
    expect(isOverdue('2026-12-01', false, '2026-12-01')).toBe(false)
    expect(isOverdue('2026-11-30', true, '2026-12-01')).toBe(false)
    expect(isOverdue(null, false, '2026-12-01')).toBe(false)
  })
})

describe('numbers and durations', () => {
  test('counts use the locale separators; durations read as seconds and minutes', () => {
    expect(formatNumber(1234567, 'en-US')).toBe('1,234,567')
    expect(plain(formatNumber(1234567, 'fr-FR'))).toBe('1 234 567')
    expect(formatDuration(4_400)).toBe('4 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
  })
})

describe('amount input in its currency', () => {
  test('the code stands where the locale writes the currency, with its decimals and separators', () => {
    expect(amountInputFormat('USD', 'en-US')).toEqual({
      prefix: 'USD ',
      decimalScale: 2,
      decimalSeparator: '.',
      thousandSeparator: ',',
    })
    expect(amountInputFormat('EUR', 'de-DE')).toEqual({
      suffix: ' EUR',
      decimalScale: 2,
      decimalSeparator: ',',
      thousandSeparator: '.',
    })
    expect(amountInputFormat('JPY', 'ja-JP')).toMatchObject({ prefix: 'JPY ', decimalScale: 0 })
    expect(amountInputFormat('BHD', 'en-US')).toMatchObject({ prefix: 'BHD ', decimalScale: 3 })
  })

  test("money's separators win over plain numbers' where a locale writes them differently", () => {
    // fr-CH writes 1 234,5 but 1 234.50 CHF.
    expect(amountInputFormat('CHF', 'fr-CH')).toMatchObject({ suffix: ' CHF', decimalSeparator: '.' })
  })

  test('no currency known: no code, two decimals; an unknown code: shown before, two decimals', () => {
    expect(amountInputFormat(null, 'en-US')).toEqual({
      decimalScale: 2,
      decimalSeparator: '.',
      thousandSeparator: ',',
    })
    expect(amountInputFormat('XX1', 'en-US')).toMatchObject({ prefix: 'XX1 ', decimalScale: 2 })
  })
})
