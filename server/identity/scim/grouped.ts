/** Rows grouped by a key, in row order: the one-to-many lists of SCIM (a group's members, a user's groups). */
export function groupRows<Row, Value>(
  rows: readonly Row[],
  keyOf: (row: Row) => string,
  valueOf: (row: Row) => Value,
): Map<string, Value[]> {
  const grouped = new Map<string, Value[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const list = grouped.get(key) ?? []
    list.push(valueOf(row))
    grouped.set(key, list)
  }
  return grouped
}
