// Dates in the reader's own locale and time zone (the API sends ISO 8601 strings in UTC).
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDateTime(iso: string | null, empty = 'Never'): string {
  if (!iso) return empty
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? empty : dateTime.format(date)
}
