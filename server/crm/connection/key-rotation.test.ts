import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSecretBox } from '../../secrets/secret-box.js'
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { reencryptSecrets } from './key-rotation.js'

describe('key rotation', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.close())

  it('re-encrypts every connection under the new key, and can be run again safely', async () => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    const sealed = createSecretBox(oldKey).seal(JSON.stringify({ consumerSecret: 'cs', password: 'pw' }))
    await database.db
      .insertInto('crm_connections')
      .values({
        provider: 'salesforce',
        auth_method: 'password',
        login_url: 'https://a.my.salesforce.com',
        consumer_key: 'k',
        encrypted_secrets: sealed,
      })
      .execute()
    const report = await reencryptSecrets(database.db, oldKey, newKey)
    expect(report.connections).toBe(1)
    const again = await reencryptSecrets(database.db, oldKey, newKey)
    expect(again.connections).toBe(1)
    const row = await database.db
      .selectFrom('crm_connections')
      .select('encrypted_secrets')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(createSecretBox(newKey).open(row.encrypted_secrets))).toEqual({
      consumerSecret: 'cs',
      password: 'pw',
    })
    expect(() => createSecretBox(oldKey).open(row.encrypted_secrets)).toThrow()
  })
})
