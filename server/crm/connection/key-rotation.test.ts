import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSecretBox } from '../../secrets/secret-box.js'
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { clientSecretContext } from '../../identity/oidc/seal-contexts.js'
import { reencryptSecrets } from './key-rotation.js'
import { savePendingApproval } from './oauth-pending.repository.js'
import { connectionSecretsContext, pendingApprovalContext } from './secret-binding.js'

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

  it('keeps a bound connection secret bound to its Web Services URL and Consumer Key, and an approval to its state', async () => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    await database.db.deleteFrom('crm_connections').execute()
    const place = { login_url: 'https://b.my.salesforce.com', consumer_key: 'kb' }
    const context = connectionSecretsContext(place)
    await database.db
      .insertInto('crm_connections')
      .values({
        provider: 'salesforce',
        auth_method: 'password',
        ...place,
        encrypted_secrets: createSecretBox(oldKey).seal(JSON.stringify({ consumerSecret: 'cs2' }), context),
      })
      .execute()
    const [admin] = await database.db
      .insertInto('users')
      .values({
        email: 'rotate@example.com',
        name: 'Rotate',
        role: 'admin',
        password_hash: null,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .execute()
    const approvalContext = pendingApprovalContext('state-hash')
    await savePendingApproval(
      database.db,
      {
        stateHash: 'state-hash',
        sealedRequest: createSecretBox(oldKey).seal('{"consumerSecret":"cs3"}', approvalContext),
        createdBy: admin!.id,
        expiresAt: new Date(Date.now() + 600_000),
        purpose: 'connection',
      },
      new Date(),
    )
    expect(await reencryptSecrets(database.db, oldKey, newKey)).toMatchObject({
      connections: 1,
      pendingApprovals: 1,
    })
    const row = await database.db
      .selectFrom('crm_connections')
      .select('encrypted_secrets')
      .executeTakeFirstOrThrow()
    const box = createSecretBox(newKey)
    expect(JSON.parse(box.open(row.encrypted_secrets, context))).toEqual({ consumerSecret: 'cs2' })
    const elsewhere = connectionSecretsContext({ ...place, login_url: 'https://evil.example.com' })
    expect(() => box.open(row.encrypted_secrets, elsewhere)).toThrow(/integrity check/)
    expect(() => box.open(row.encrypted_secrets)).toThrow(/integrity check/)
    const pending = await database.db
      .selectFrom('crm_oauth_pending')
      .select('sealed_request')
      .executeTakeFirstOrThrow()
    expect(box.open(pending.sealed_request, approvalContext)).toBe('{"consumerSecret":"cs3"}')
    expect(() => box.open(pending.sealed_request, pendingApprovalContext('other'))).toThrow(/integrity/)
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
