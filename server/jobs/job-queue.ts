// Background jobs of the feed (notification email, the daily digest, orphan file cleanup) on pg-boss, on
// both engines: PostgreSQL through pg-boss's own pool, PGlite through the embedded connection
// (storage/pglite-dialect.ts jobExecutor). Jobs are retried with backoff by pg-boss; a job inserted with
// insertWithin() commits or rolls back with the caller's transaction.
import PgBoss from 'pg-boss'
import type { Logger } from 'pino'

import { sqlExecutorOf } from '../storage/job-sql.js'
import type { Db } from '../storage/open-database.js'
import type { SqlExecutor } from '../storage/pglite-dialect.js'

export interface NewJob {
  name: string
  data: object
  singletonKey?: string
  /** Attempts after the first, when this job's differ from the queue's (the delay stays the queue's). */
  retryLimit?: number
}

export interface JobQueue {
  readonly boss: PgBoss
  /** Inserts jobs in one statement on `db` (a transaction: they exist only if it commits). */
  insertWithin(db: Db, jobs: readonly NewJob[]): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

// Retries: 30 s, 1 min, 2 min … (backoff), for about an hour; after that the job is failed and the
// notification keeps its last error (visible in /metrics and the log).
const RETRY = { retryLimit: 7, retryDelay: 30, retryBackoff: true }

/** PostgreSQL: its URL (pg-boss opens a small pool); PGlite: the database's job executor. */
export type JobDatabase = { url: string } | { executor: SqlExecutor | undefined }

export function createJobQueue(
  database: JobDatabase,
  options: {
    log: Logger
    /** Tests retry sooner; production waits 30 s, doubling. */
    retryDelaySeconds?: number
  },
): JobQueue {
  const boss =
    'url' in database
      ? new PgBoss({ connectionString: database.url, schema: 'pgboss', max: 2 })
      : new PgBoss({ db: requireExecutor(database.executor), schema: 'pgboss' })
  // pg-boss re-emits its pool's errors (PostgreSQL restarted, a connection terminated by an administrator);
  // with no listener an EventEmitter 'error' is thrown and takes the whole process down. The pool reconnects.
  boss.on('error', (err) => options.log.warn({ err }, 'pg-boss error (job queue)'))
  const policy = { ...RETRY, retryDelay: options.retryDelaySeconds ?? RETRY.retryDelay }
  let started = false
  return {
    boss,
    insertWithin: async (db, jobs) => {
      if (jobs.length === 0) return
      await boss.insert(
        jobs.map((job) => ({ ...policy, ...job })),
        { db: sqlExecutorOf(db) },
      )
    },
    start: async () => {
      await boss.start()
      started = true
    },
    stop: async () => {
      if (started) await boss.stop({ graceful: true, timeout: 5000 })
      started = false
    },
  }
}

function requireExecutor(executor: SqlExecutor | undefined): SqlExecutor {
  if (!executor) throw new Error('pg-boss on PGlite needs the database’s job executor.')
  return executor
}
