// A fresh, migrated database for one test file: in-memory PGlite by default, or a throwaway database on the
// PostgreSQL server named by TEST_DATABASE_URL (vitest provides it; see vitest.config.ts).
import { randomBytes } from 'node:crypto'

import pg from 'pg'
import { inject } from 'vitest'

import { migrateToLatest } from '../storage/migrate.js'
import { openPglite, openPostgres, type OpenDatabase } from '../storage/open-database.js'

import './provided-context.js'

export interface TestDatabase extends OpenDatabase {
  /** Set when the test runs on PostgreSQL: the URL of this test's own database. */
  url: string | undefined
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('testDatabaseUrl')
  if (!serverUrl) {
    const opened = await openPglite('memory://')
    await migrateToLatest(opened.db)
    return { ...opened, url: undefined }
  }
  // Named after the server URL's database (CI's crm_ci_<time>_<pid>), so a run's clean-up drops its own
  // leftovers only, never those of another run or of a developer's tests on the same server.
  const name = `crm_test_${runTag(serverUrl)}_${randomBytes(6).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  const url = withDatabase(serverUrl, name)
  const opened = openPostgres(url, 5)
  await migrateToLatest(opened.db)
  return {
    ...opened,
    url,
    close: async () => {
      await opened.close()
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

function runTag(serverUrl: string): string {
  return decodeURIComponent(new URL(serverUrl).pathname.slice(1))
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40)
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
