// Every number, amount and date the UI shows, formatted one way: in the reader's locale (or the one given,
// for tests) through Intl. Amounts carry their own currency and different currencies are never added.
// Intl.NumberFormat: https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Intl/NumberFormat
import type { Money } from '../../../contracts/api/opportunities.api.js'

type Locale = string | undefined

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined
  if (!format) {
    format = make()
    cache.set(key, format)
  }
  return format
}

function moneyFormat(currency: string | null, compact: boolean, locale: Locale): Intl.NumberFormat {
  return cached(`money|${currency ?? ''}|${compact}|${locale ?? ''}`, () => {
    const base: Intl.NumberFormatOptions = compact
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { maximumFractionDigits: 2 }
    try {
      return new Intl.NumberFormat(locale, currency ? { ...base, style: 'currency', currency } : base)
    } catch {
      // An unknown ISO code: show the plain number rather than failing the page.
      return new Intl.NumberFormat(locale, base)
    }
  })
}

/** `$12,500.00` in the record's currency; a plain number only when no currency is known at all. */
export function formatMoney(
  amount: number | null,
  currency: string | null,
  compact = false,
  locale?: string,
): string {
  if (amount === null) return '—'
  return moneyFormat(currency, compact, locale).format(amount)
}

/**
 * One entry per currency: "$1,200.00 · €300.00"; "—" when there is nothing to add up. A total that Salesforce
 * converted into the corporate currency says so ("$3,500.54 (converted)"), so it never reads as an exact sum.
 */
export function formatMoneyList(amounts: Money[], compact = false, locale?: string): string {
  if (amounts.length === 0) return '—'
  return amounts
    .map(
      (m) =>
        `${formatMoney(m.amount, m.currencyIsoCode, compact, locale)}${m.converted ? ' (converted)' : ''}`,
    )
    .join(' · ')
}

/** True when any amount is a conversion, for the sentence that explains it. */
export function hasConverted(amounts: Money[]): boolean {
  return amounts.some((m) => m.converted === true)
}

export interface AmountInputFormat {
  /** The ISO code on the side of the number where the locale writes the currency ("USD " / " EUR"). */
  prefix?: string
  suffix?: string
  /** The currency's minor units: 0 for JPY, 2 for USD, 3 for BHD (2 when no currency is known). */
  decimalScale: number
  decimalSeparator: string
  thousandSeparator: string
}

/**
 * How an amount input shows its record's currency: the ISO code beside the number where the locale puts it and
 * as many decimals as the currency has, with the locale's separators (read from Intl.NumberFormat's
 * formatToParts). An unknown code is shown before the number with two decimals.
 */
export function amountInputFormat(currency: string | null, locale?: string): AmountInputFormat {
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1234.5)
  let parts = plain
  let decimalScale = 2
  let codeFirst = true
  if (currency) {
    try {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' })
      parts = format.formatToParts(1234.5)
      decimalScale = format.resolvedOptions().maximumFractionDigits ?? 2
      codeFirst =
        parts.findIndex((part) => part.type === 'currency') <
        parts.findIndex((part) => part.type === 'integer')
    } catch {
      // An unknown code: before the number, two decimals.
    }
  }
  // Some locales write money with other separators than plain numbers (fr-CH: 1 234.50 CHF but 1 234,5).
  const separator = (type: 'decimal' | 'group', fallback: string) =>
    (parts.find((part) => part.type === type) ?? plain.find((part) => part.type === type))?.value ?? fallback
  const separators = {
    decimalSeparator: separator('decimal', '.'),
    thousandSeparator: separator('group', ','),
  }
  if (!currency) return { decimalScale, ...separators }
  return codeFirst
    ? { prefix: `${currency} `, decimalScale, ...separators }
    : { suffix: ` ${currency}`, decimalScale, ...separators }
}

/** A Salesforce date (YYYY-MM-DD) as a calendar date: read in UTC so it never shifts a day. */
export function formatDate(value: string | null, empty = '—', locale?: string): string {
  if (!value) return empty
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime())) return empty
  return cached(
    `date|${locale ?? ''}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
  ).format(date)
}

/** A moment (ISO 8601 in UTC from the API) in the reader's time zone, or the one given. */
export function formatDateTime(
  value: string | null,
  empty = '—',
  locale?: string,
  timeZone?: string,
): string {
  if (!value) return empty
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return empty
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }
  if (timeZone) options.timeZone = timeZone
  return cached(
    `datetime|${locale ?? ''}|${timeZone ?? ''}`,
    () => new Intl.DateTimeFormat(locale, options),
  ).format(date)
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value}%`
}

export function formatNumber(value: number, locale?: string): string {
  return cached(`number|${locale ?? ''}`, () => new Intl.NumberFormat(locale)).format(value)
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes} min ${seconds % 60} s`
}

/** Today's date as YYYY-MM-DD in UTC, the form Salesforce dates come in. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}

/** An open deal whose close date has passed. */
export function isOverdue(closeDate: string | null, isClosed: boolean, today = todayIso()): boolean {
  return !isClosed && closeDate !== null && closeDate < today
}

export function stageLabel(stage: string | null): string {
  return stage ?? 'No stage'
}
