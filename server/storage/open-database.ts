// Opens the one database the app uses: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
// Both speak the same SQL through the same Kysely instance; only the driver differs.
import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

import type { Config } from '../config.js'
import { listenPglite, listenPostgres, type ChangeFeed, type ChangeHandlers } from './change-feed.js'
import { COPY_FROM_STDIN } from './copy-rows.js'
import { lockDataDir } from './data-dir-lock.js'
import { FOLDER_MODE, restrictToOwner } from './data-dir-permissions.js'
import type { Database, Db } from './database.js'
import { PGliteDialect, type SqlExecutor } from './pglite-dialect.js'
import { preparedName } from './prepared.js'

export type { Db } from './database.js'

export interface OpenDatabase {
  db: Db
  /**
   * What the live event hub reads with (crm/live/live-hub.ts). On PostgreSQL a pool of its own beside the
   * requests' one: its three statements per batch of events queued behind every waiting request (bench:feed,
   * 100 users on a pool of 10: post-to-event p95 628 ms with feed reads at 344 ms). PGlite: `db`.
   */
  liveDb: Db
  kind: 'pglite' | 'postgres'
  /** Reports committed writes to the tables migration 0110 watches (see change-feed.ts). */
  listenForChanges(handlers: ChangeHandlers): Promise<ChangeFeed>
  /** PGlite only: how pg-boss runs its SQL on the one embedded connection (PostgreSQL: its own pool). */
  jobExecutor?: SqlExecutor
  close(): Promise<void>
}

// PostgreSQL type OIDs whose default parsing differs between node-postgres and PGlite. We normalise both
// drivers to the same JS values: int8 and numeric as numbers, date as 'YYYY-MM-DD' strings.
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const toNumber = (value: string) => Number(value)
const LIVE_POOL_SIZE = 2
const keepString = (value: string) => value

export async function openDatabase(
  storage: Config['storage'],
  onIdleClientError?: (err: Error) => void,
): Promise<OpenDatabase> {
  if (storage.kind === 'postgres') return openPostgres(storage.url, storage.poolSize, onIdleClientError)
  return openPglite(storage.dataDir)
}

export function openPostgres(
  url: string,
  poolSize = 10,
  onIdleClientError: (err: Error) => void = (err) =>
    console.error('PostgreSQL connection lost:', err.message),
): OpenDatabase {
  const poolOptions = {
    connectionString: url,
    Client: CopyingClient,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
        if (oid === INT8 || oid === NUMERIC) return toNumber
        if (oid === DATE) return keepString
        return pg.types.getTypeParser(oid, format) as (value: string) => unknown
      }) as typeof pg.types.getTypeParser,
    },
  }
  const pool = new pg.Pool({ ...poolOptions, max: poolSize })
  // An idle connection can be cut by the server (restart, failover, admin command). Without this listener the
  // error would crash the process; the pool replaces the connection on next use.
  pool.on('error', onIdleClientError)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // The hub runs one batch at a time, so two connections are plenty; node-postgres opens them on first use.
  const livePool = new pg.Pool({ ...poolOptions, max: LIVE_POOL_SIZE })
  livePool.on('error', onIdleClientError)
  const liveDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: livePool }) })
  return {
    db,
    liveDb,
    kind: 'postgres',
    listenForChanges: (handlers) => Promise.resolve(listenPostgres(url, handlers, onIdleClientError)),
    close: async () => {
      await Promise.all([db.destroy(), liveDb.destroy()])
    },
  }
}

/**
 * A node-postgres client that also runs copyRows()'s `COPY … FROM STDIN` (storage/copy-rows.ts): the statement
 * arrives through Kysely like any query, with the rows as COPY text in its one parameter, and goes out with the
 * CopyData protocol (pg-copy-streams). A statement marked by prepared() (storage/prepared.ts) goes out as a
 * named statement. Every other query is node-postgres's own.
 */
class CopyingClient extends pg.Client {
  // node-postgres declares query() with many overloads; this one looks at its arguments and passes them on.
  override query(...args: unknown[]): never {
    const [text, values] = args
    if (typeof text === 'string' && COPY_FROM_STDIN.test(text) && Array.isArray(values)) {
      return this.copyIn(text, values) as never
    }
    const name = typeof text === 'string' && args.length === 2 ? preparedName(text) : undefined
    if (name !== undefined) return super.query({ name, text, values } as pg.QueryConfig) as never
    return (super.query as (...rest: unknown[]) => never)(...args)
  }

  private async copyIn(text: string, values: unknown[]): Promise<pg.QueryResult> {
    const [data] = values
    if (values.length !== 1 || typeof data !== 'string')
      throw new Error('COPY FROM STDIN takes its rows as one text')
    const stream = super.query(copyFrom(text))
    await pipeline(Readable.from([data]), stream)
    return { command: 'COPY', rowCount: stream.rowCount, rows: [], fields: [], oid: 0 }
  }
}

/**
 * Opens PGlite in `dataDir/pgdata` (or in memory when dataDir is 'memory://'), holding the folder lock; the
 * folder is owner-only (data-dir-permissions.ts).
 */
export async function openPglite(dataDir: string): Promise<OpenDatabase> {
  const inMemory = dataDir === 'memory://'
  const lock = inMemory ? undefined : lockDataDir(dataDir)
  try {
    const path = inMemory ? 'memory://' : join(dataDir, 'pgdata')
    const options = {
      parsers: { [INT8]: toNumber, [NUMERIC]: toNumber, [DATE]: keepString },
      // Trigram indexes serve substring search in the opportunity lists (migration 0101).
      extensions: { pg_trgm },
    }
    // Creating a data folder runs initdb inside PGlite's WebAssembly memory, which grows to about 630 MB and
    // never shrinks; a process that opens an existing folder needs about 200 MB. So the first start creates
    // the folder with a throwaway instance and reopens it (measured: 797 MB → 451 MB resident, ~1 s once).
    if (!inMemory && !existsSync(path)) await (await PGlite.create(path, options)).close()
    const pglite = await PGlite.create(path, options)
    if (!inMemory) {
      // The folder itself and all of PGlite's files; the folder's other files are the module's own (0600).
      chmodSync(dataDir, FOLDER_MODE)
      restrictToOwner(path)
    }
    const dialect = new PGliteDialect(pglite)
    const db = new Kysely<Database>({ dialect })
    return {
      db,
      liveDb: db,
      kind: 'pglite',
      jobExecutor: dialect.jobExecutor(),
      listenForChanges: (handlers) => listenPglite(pglite, handlers),
      close: async () => {
        try {
          await db.destroy()
        } finally {
          lock?.release()
        }
      },
    }
  } catch (err) {
    lock?.release()
    throw err
  }
}
