// The portal edit tables on both engines: settings default to off with the five default fields, audit rows keep
// before and after per field, and an idempotency key is claimed once per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import {
  claimEditRequest,
  listEditAudit,
  readEditSettings,
  recordEditAudit,
  saveEditAnswer,
  writeEditSettings,
} from './edits.repository.js'

describe('portal edit storage', () => {
  let database: TestDatabase
  let userId = ''
  const at = new Date('2026-12-01T12:00:00.000Z')

  beforeAll(async () => {
    database = await createTestDatabase()
    const user = await database.db
      .insertInto('users')
      .values({
        name: 'Edith',
        email: 'edith@example.test',
        password_hash: null,
        role: 'member',
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    userId = user.id
  })
  afterAll(() => database.close())

  it('starts with edits off, the five default fields and members allowed, and saves changes', async () => {
    expect(await readEditSettings(database.db)).toEqual({
      allowEdits: false,
      editableFields: ['StageName', 'Amount', 'CloseDate', 'Probability', 'NextStep'],
      whoMayEdit: 'members',
    })
    const settings = {
      allowEdits: true,
      editableFields: ['StageName', 'Region__c'],
      whoMayEdit: 'admins' as const,
    }
    await writeEditSettings(database.db, settings, userId, at)
    expect(await readEditSettings(database.db)).toEqual(settings)
  })

  it('audits each written field with who, before and after', async () => {
    await recordEditAudit(database.db, {
      opportunityId: '006000000000001AAA',
      userId,
      changes: [
        { field: 'StageName', before: 'Prospecting', after: 'Qualification' },
        { field: 'Amount', before: null, after: 5000 },
      ],
      at,
    })
    const rows = await listEditAudit(database.db, '006000000000001AAA')
    expect(rows.map((row) => [row.user_id, row.field, row.before_value, row.after_value])).toEqual([
      [userId, 'StageName', 'Prospecting', 'Qualification'],
      [userId, 'Amount', null, 5000],
    ])
  })

  it('claims an idempotency key once and hands the second submit the first answer', async () => {
    const request = { userId, key: 'submit-1', opportunityId: '006000000000001AAA', at }
    expect(await claimEditRequest(database.db, request)).toEqual({ claimed: true })
    expect(await claimEditRequest(database.db, request)).toEqual({ claimed: false, answer: undefined })
    await saveEditAnswer(database.db, userId, 'submit-1', { saved: true })
    expect(await claimEditRequest(database.db, request)).toEqual({ claimed: false, answer: { saved: true } })
  })
})
