// The job queue survives PostgreSQL terminating its connections (a restart, an administrator's
// pg_terminate_backend, a database dropped WITH (FORCE)): pg-boss re-emits its pool's error, which with no
// listener would be thrown and end the process. The error is logged and jobs run again once the pool has
// reconnected. PostgreSQL only: on PGlite pg-boss shares the embedded connection, which nothing can terminate.
import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../testing/test-database.js'
import { waitFor } from '../testing/timing.js'
import { createJobQueue, type JobQueue } from './job-queue.js'

const QUEUE = 'job-queue-test'

describe.skipIf(!inject('testDatabaseUrl'))('job queue when PostgreSQL drops its connections', () => {
  let database: TestDatabase
  let queue: JobQueue
  const warnings: string[] = []
  const done: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    const log = pino(
      { level: 'warn' },
      { write: (line: string) => void warnings.push(String(JSON.parse(line).msg)) },
    )
    queue = createJobQueue({ url: database.url ?? '' }, { log, retryDelaySeconds: 1 })
    await queue.start()
    await queue.boss.createQueue(QUEUE)
    await queue.boss.work(QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      done.push(String((job?.data as { label?: string } | undefined)?.label))
    })
  })
  afterAll(async () => {
    await queue?.stop()
    await database?.close()
  })

  it('logs the terminated connections and still runs jobs afterwards', async () => {
    await queue.boss.send(QUEUE, { label: 'before' })
    await waitFor(() => expect(done).toContain('before'))

    const terminated = await sql<{ count: number }>`
      select count(pg_terminate_backend(pid))::int as count from pg_stat_activity
      where datname = current_database() and application_name = 'pgboss'`.execute(database.db)
    expect(terminated.rows[0]?.count).toBeGreaterThan(0)
    await waitFor(() => expect(warnings).toContain('pg-boss error (job queue)'))

    await waitFor(async () => {
      await queue.boss.send(QUEUE, { label: 'after' })
      expect(done).toContain('after')
    })
  })
})
