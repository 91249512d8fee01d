import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSecretBox } from '../../secrets/secret-box.js'
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { clientSecretContext } from '../../identity/oidc/seal-contexts.js'
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

describe('key rotation of identity secrets', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.close())

  it('re-seals the OpenID client secret in its own context, so it still opens only for its issuer', async () => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    const context = clientSecretContext('https://idp.example.com', 'crm')
    await database.db
      .insertInto('identity_oidc_settings')
      .values({
        display_name: 'IdP',
        issuer: 'https://idp.example.com',
        client_id: 'crm',
        sealed_client_secret: createSecretBox(oldKey).seal('the-client-secret', context),
        scopes: 'openid',
        email_claim: 'email',
        name_claim: 'name',
        groups_claim: 'groups',
      })
      .execute()
    const report = await reencryptSecrets(database.db, oldKey, newKey)
    expect(report.identitySecrets).toBe(1)
    const row = await database.db
      .selectFrom('identity_oidc_settings')
      .select('sealed_client_secret')
      .executeTakeFirstOrThrow()
    expect(createSecretBox(newKey).open(row.sealed_client_secret, context)).toBe('the-client-secret')
    expect(() => createSecretBox(newKey).open(row.sealed_client_secret)).toThrow(/integrity check/)
  })
})
