import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../testing/test-database.js'
import { copyRows, toCopyText } from './copy-rows.js'

interface Sample {
  id: number
  label: string | null
  amount: number | null
  flag: boolean
  at: Date | null
  doc: string
}

const COLUMNS = ['id', 'label', 'amount', 'flag', 'at', 'doc'] as const

describe('COPY loading (copyRows)', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
    await sql`create table copy_samples (
      id int primary key, label text, amount numeric(18,2), flag boolean not null, at timestamptz, doc jsonb not null
    )`.execute(database.db)
  })
  afterAll(async () => {
    await database.close()
  })

  it('stores every value as given: tabs, newlines, backslashes, empty text, NULL, unicode, dates, JSON', async () => {
    const rows: Sample[] = [
      {
        id: 1,
        label: 'tab\there\nnew line\r\nback\\slash \\N',
        amount: 1234.5,
        flag: true,
        at: new Date('2026-03-01T10:00:00.000Z'),
        doc: '{"a":"x\\ty"}',
      },
      { id: 2, label: '', amount: null, flag: false, at: null, doc: '{}' },
      {
        id: 3,
        label: null,
        amount: -0.01,
        flag: true,
        at: new Date('1999-12-31T23:59:59.000Z'),
        doc: '{"é":"日本語 🚀"}',
      },
    ]
    await database.db.transaction().execute((trx) => copyRows(trx, 'copy_samples', COLUMNS, rows))
    const { rows: stored } = await sql<Sample & { doc: unknown }>`
      select id, label, amount, flag, at, doc from copy_samples order by id`.execute(database.db)
    expect(stored).toEqual(rows.map((row) => ({ ...row, doc: JSON.parse(row.doc) as unknown })))
  })

  it('writes nothing of a page with one bad value, and the connection stays usable', async () => {
    const bad = [
      { id: 10, label: 'fine', amount: 1, flag: true, at: null, doc: '{}' },
      { id: 11, label: 'broken', amount: 1, flag: true, at: null, doc: 'not json' },
    ]
    await expect(
      database.db.transaction().execute((trx) => copyRows(trx, 'copy_samples', COLUMNS, bad)),
    ).rejects.toThrow(/json/i)
    const { rows } = await sql<{ n: number }>`select count(*) as n from copy_samples where id >= 10`.execute(
      database.db,
    )
    expect(rows[0]?.n).toBe(0)
  })

  it('refuses a table or column name that is not a plain identifier', async () => {
    await expect(
      copyRows(database.db, 'copy_samples; drop table users', ['id'], [{ id: 1 }]),
    ).rejects.toThrow(/COPY accepts/)
  })

  it('encodes NULL as \\N and escapes the characters that would end a field or a line', () => {
    expect(toCopyText([{ a: null, b: 'x\ty\\z\n' }], ['a', 'b'])).toBe('\\N\tx\\ty\\\\z\\n\n')
  })
})
