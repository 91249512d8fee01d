// A small Kysely dialect for embedded PGlite. PGlite is a single connection, so the driver hands it to one
// caller at a time: a transaction holds the mutex from BEGIN to COMMIT, and no other query can interleave
// and see its uncommitted rows (the failure node20-dependencies.md measured with kysely-pglite).
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'

import { COPY_FROM_STDIN } from './copy-rows.js'

/** A promise-chain mutex: `lock()` resolves with a release function once every earlier holder released. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve()

  async lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => (release = resolve))
    const previous = this.tail
    this.tail = previous.then(() => next)
    await previous
    return release
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // copyRows()'s COPY (storage/copy-rows.ts): PGlite reads COPY data from a Blob it calls '/dev/blob'.
    const [data] = compiledQuery.parameters
    if (COPY_FROM_STDIN.test(compiledQuery.sql) && typeof data === 'string') {
      const sql = compiledQuery.sql.replace(/ from stdin$/, " from '/dev/blob'")
      const result = await this.pglite.query<R>(sql, [], { blob: new Blob([data]) })
      return {
        rows: [],
        ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
      }
    }
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters])
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    }
  }

  // PGlite has no server-side cursor API over its query(); stream() is not used by this application.
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite; page with keyset queries instead.')
  }
}

class PGliteDriver implements Driver {
  private readonly releases = new WeakMap<DatabaseConnection, () => void>()
  private readonly connection: PGliteConnection

  constructor(
    private readonly pglite: PGlite,
    private readonly mutex: Mutex,
  ) {
    this.connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {
    await this.pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock()
    this.releases.set(this.connection, release)
    return this.connection
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.releases.get(connection)
    this.releases.delete(connection)
    release?.()
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async destroy(): Promise<void> {
    // Wait for whoever holds the connection, then close PGlite so its data folder is flushed cleanly.
    const release = await this.mutex.lock()
    try {
      if (!this.pglite.closed) await this.pglite.close()
    } finally {
      release()
    }
  }
}

/** What pg-boss calls to run its SQL when it has no connection string of its own (its `db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

export class PGliteDialect implements Dialect {
  private readonly mutex = new Mutex()
  constructor(private readonly pglite: PGlite) {}

  /**
   * pg-boss on PGlite (the `db` option of https://github.com/timgit/pg-boss/blob/10.4.2/types.d.ts): each
   * call waits for the connection like any query, so it never runs inside someone else's transaction. pg-boss
   * sends its schema and maintenance commands as several statements without parameters, which only PGlite's
   * exec() (simple query protocol) takes; a failing call releases the connection like any other.
   */
  jobExecutor(): SqlExecutor {
    return {
      executeSql: async (text, values) => {
        const release = await this.mutex.lock()
        try {
          if (!values || values.length === 0) {
            const results = await this.pglite.exec(text)
            return { rows: results.at(-1)?.rows ?? [] }
          }
          const result = await this.pglite.query(text, values)
          return { rows: result.rows }
        } finally {
          release()
        }
      },
    }
  }

  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.mutex)
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}
