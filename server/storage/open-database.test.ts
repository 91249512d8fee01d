import { mkdtempSync, rmSync } from 'node:fs'
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
})
