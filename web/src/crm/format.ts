// Amounts with their own currency and dates in the reader's locale. Currencies are never added together.
import type { Money } from '../../../contracts/api/opportunities.api.js'

const moneyFormats = new Map<string, Intl.NumberFormat>()

function moneyFormat(currency: string | null, compact: boolean): Intl.NumberFormat {
  const key = `${currency ?? ''}|${compact}`
  let format = moneyFormats.get(key)
  if (!format) {
    const base: Intl.NumberFormatOptions = compact
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { maximumFractionDigits: 2 }
    try {
      format = new Intl.NumberFormat(undefined, currency ? { ...base, style: 'currency', currency } : base)
    } catch {
      // An unknown ISO code: show the plain number rather than failing the page.
      format = new Intl.NumberFormat(undefined, base)
    }
    moneyFormats.set(key, format)
  }
  return format
}

/** `$12,500.00`, or a plain number when the org has no multi-currency (currency null). */
export function formatMoney(amount: number | null, currency: string | null, compact = false): string {
  if (amount === null) return '—'
  return moneyFormat(currency, compact).format(amount)
}

/** One line per currency: "$1,200.00 · €300.00"; "—" when there is nothing. */
export function formatMoneyList(amounts: Money[], compact = false): string {
  if (amounts.length === 0) return formatMoney(0, null, compact)
  return amounts.map((m) => formatMoney(m.amount, m.currencyIsoCode, compact)).join(' · ')
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A Salesforce date (YYYY-MM-DD) as a calendar date: read in UTC so it never shifts a day. */
export function formatDate(value: string | null, empty = '—'): string {
  if (!value) return empty
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
  return Number.isNaN(date.getTime()) ? empty : dateOnly.format(date)
}

export function formatDateTime(value: string | null, empty = '—'): string {
  if (!value) return empty
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? empty : dateTime.format(date)
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value}%`
}

export function stageLabel(stage: string | null): string {
  return stage ?? 'No stage'
}
