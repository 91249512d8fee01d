import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../testing/test-database.js'
import { SLOW_TEST } from '../testing/timing.js'
import { migrateToLatest } from './migrate.js'
import { openPglite } from './open-database.js'

describe('the database', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.close()
  })

  it('returns counts as numbers and dates as plain strings on every engine', async () => {
    const { rows } = await sql<{ n: number; d: string; amount: number }>`
      select count(*) as n, date '2026-03-01' as d, 1234.50::numeric as amount from users`.execute(
      database.db,
    )
    expect(rows[0]).toEqual({ n: 0, d: '2026-03-01', amount: 1234.5 })
  })

  it('keeps a transaction isolated from queries running beside it', async () => {
    const db = database.db
    let releaseTransaction!: () => void
    const transactionHeld = new Promise<void>((resolve) => (releaseTransaction = resolve))
    let inserted!: () => void
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve))

    const transaction = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ name: 'In flight', email: 'inflight@example.com', role: 'member' })
        .execute()
      inserted()
      await transactionHeld
      throw new Error('roll back on purpose')
    })
    await insertedSignal
    const outside = db
      .selectFrom('users')
      .select('email')
      .where('email', '=', 'inflight@example.com')
      .execute()
    releaseTransaction()
    await expect(transaction).rejects.toThrow('roll back on purpose')
    expect(await outside).toEqual([])
  })

  it('rejects a duplicate email whatever its case', async () => {
    const db = database.db
    await db.insertInto('users').values({ name: 'A', email: 'dup@example.com', role: 'member' }).execute()
    await expect(
      db.insertInto('users').values({ name: 'B', email: 'DUP@example.com', role: 'member' }).execute(),
    ).rejects.toThrow(/users_email_unique/)
  })
})

describe('an embedded data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-lock-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('refuses a second opener with a clear message and stays usable', SLOW_TEST, async () => {
    const first = await openPglite(dataDir)
    try {
      await migrateToLatest(first.db)
      await expect(openPglite(dataDir)).rejects.toThrow(/in use by another process .*DATABASE_URL/s)
      const { rows } = await sql<{ n: number }>`select count(*) as n from module_settings`.execute(first.db)
      expect(rows[0]?.n).toBe(1)
    } finally {
      await first.close()
    }
    const reopened = await openPglite(dataDir)
    await reopened.close()
  })

  it(
    'keeps the folder owner-only: folders 0700, files 0600, also those written after opening',
    SLOW_TEST,
    async () => {
      // As an older version left it: PGlite's files readable by everyone.
      const before = await openPglite(dataDir)
      await before.close()
      for (const { path, isFolder } of walk(dataDir)) chmodSync(path, isFolder ? 0o755 : 0o666)
      const database = await openPglite(dataDir)
      try {
        await migrateToLatest(database.db)
        await database.db
          .insertInto('users')
          .values({ name: 'Wal', email: 'wal@example.com', role: 'member', password_hash: '$argon2id$x' })
          .execute()
        await sql`vacuum full users`.execute(database.db) // a relation file created after the open
      } finally {
        await database.close()
      }
      const loose = walk(dataDir)
        .filter(({ path, isFolder }) => (statSync(path).mode & 0o777) !== (isFolder ? 0o700 : 0o600))
        .map(({ path }) => `${path} ${(statSync(path).mode & 0o777).toString(8)}`)
      expect(loose).toEqual([])
      expect(walk(dataDir).length).toBeGreaterThan(500)
    },
  )
})

/** The folder itself and everything below it. */
function walk(dir: string): Array<{ path: string; isFolder: boolean }> {
  const found = [{ path: dir, isFolder: true }]
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    found.push({ path: join(entry.parentPath, entry.name), isFolder: entry.isDirectory() })
  return found
}
