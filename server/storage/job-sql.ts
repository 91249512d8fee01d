// pg-boss's SQL run through Kysely, on the caller's connection or transaction: a job inserted this way
// exists exactly when the transaction that caused it commits (the `db` option of pg-boss's insert,
// https://github.com/timgit/pg-boss/blob/10.4.2/types.d.ts).
import { CompiledQuery } from 'kysely'

import type { Db } from './database.js'
import type { SqlExecutor } from './pglite-dialect.js'

export function sqlExecutorOf(db: Db): SqlExecutor {
  return {
    executeSql: async (text, values) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: result.rows }
    },
  }
}
