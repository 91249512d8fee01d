import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../testing/test-database.js'
import { prepared } from './prepared.js'

describe('prepared statements', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.close()
  })

  const double = (n: number) => prepared(sql<{ twice: number }>`select ${n}::int * 2 as twice`)

  it('answer with their own parameters each time, on every engine', async () => {
    const answers = await Promise.all([1, 2, 3, 2].map((n) => double(n).execute(database.db)))
    expect(answers.map(({ rows }) => rows[0]?.twice)).toEqual([2, 4, 6, 4])
  })

  it('report a bad parameter as the same statement unmarked would', async () => {
    const bad = sql<{ twice: number }>`select ${'not a number'}::int * 2 as twice`
    const plainError = await bad.execute(database.db).catch((err: unknown) => err)
    const preparedError = await prepared(bad)
      .execute(database.db)
      .catch((err: unknown) => err)
    expect(plainError).toBeInstanceOf(Error)
    expect((preparedError as Error).message).toBe((plainError as Error).message)
    expect((await double(5).execute(database.db)).rows[0]?.twice).toBe(10)
  })

  it.skipIf(!inject('testDatabaseUrl'))(
    'are parsed once per PostgreSQL connection; unmarked ones are not kept',
    async () => {
      // A text of its own: the other tests' statements may have run on this connection.
      const sevenfold = (n: number) => prepared(sql`select ${n}::int * 7 as sevenfold`)
      const kept = await database.db.connection().execute(async (connection) => {
        for (const n of [1, 2, 3]) await sevenfold(n).execute(connection)
        await sql`select ${4}::int * 7 as sevenfold_unmarked`.execute(connection)
        const { rows } = await sql<{ statement: string; generic_plans: number; custom_plans: number }>`
          select statement, generic_plans, custom_plans from pg_prepared_statements
          where statement like '%sevenfold%'`.execute(connection)
        return rows
      })
      expect(kept).toHaveLength(1)
      expect(kept[0]?.statement).toMatch(/\* 7 as sevenfold$/)
      expect(Number(kept[0]?.generic_plans) + Number(kept[0]?.custom_plans)).toBe(3)
    },
  )
})
