// Statements run on every request, prepared once per PostgreSQL connection instead of parsed and planned
// on each call. A statement opts in by starting with prepared(): the driver (open-database.ts) sees the marker
// and sends the text as a named statement, the name derived from the text, so each distinct text is parsed
// once per connection and, after PostgreSQL's first five custom plans, runs on its cached generic plan
// (https://www.postgresql.org/docs/current/sql-prepare.html, "Notes"; named statements in node-postgres:
// https://node-postgres.com/features/queries#prepared-statements).
// Only fixed-text statements opt in: every distinct text stays prepared on each connection for its life.
// They name their columns (no `select *`): after another process's migration changes a table, a prepared
// `select *` would fail with "cached plan must not change result type" until this process restarts.
// PGlite ignores the marker: it is a comment.
import { createHash } from 'node:crypto'

import { sql, type RawBuilder } from 'kysely'

const MARK = '/* prepared */ '

/** The statement `query`, marked to be prepared on PostgreSQL. */
export function prepared<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(MARK)}${query}`
}

const names = new Map<string, string>()

/** The statement name of a marked text, or undefined when the text is not marked. */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined
  let name = names.get(text)
  if (name === undefined) {
    name = `crm_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
    names.set(text, name)
  }
  return name
}
