// Users' own Salesforce links in the database: one per user and connection, replaced by connecting again,
// re-sealed by key rotation in their own context, and gone when the workspace user is deactivated.
import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSecretBox } from '../../secrets/secret-box.js'
import { makeConnection } from '../../testing/crm-factories.js'
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js'
import { reencryptSecrets } from './key-rotation.js'
import { savePendingApproval, takePendingApproval } from './oauth-pending.repository.js'
import { connectionSecretsContext, userLinkContext, userLinkPendingContext } from './secret-binding.js'
import { findUserLink, saveUserLink } from './user-link.repository.js'

describe('users’ Salesforce links', () => {
  let database: TestDatabase
  let connectionId = ''
  const userIds: string[] = []
  const oldKey = randomBytes(32)

  const addUser = async (email: string) => {
    const row = await database.db
      .insertInto('users')
      .values({ email, name: email, role: 'member', password_hash: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }
  const link = (userId: string, tokens: string, at = new Date()) => ({
    user_id: userId,
    connection_id: connectionId,
    salesforce_user_id: '005000000000001AAA',
    username: `${userId}@org.test`,
    display_name: 'Linked',
    encrypted_tokens: createSecretBox(oldKey).seal(
      tokens,
      userLinkContext({ user_id: userId, connection_id: connectionId }),
    ),
    instance_url: 'https://acme.my.salesforce.com',
    connected_at: at,
    updated_at: at,
  })

  beforeAll(async () => {
    database = await createTestDatabase()
    const place = { login_url: 'https://acme.my.salesforce.com', consumer_key: 'test-consumer-key' }
    const secrets = createSecretBox(oldKey).seal('{}', connectionSecretsContext(place))
    connectionId = (await makeConnection(database.db, { ...place, encrypted_secrets: secrets })).id
    userIds.push(await addUser('one@example.com'), await addUser('two@example.com'))
  })
  afterAll(() => database.close())

  it('keeps one link per user and connection; connecting again replaces it and clears "needs reconnect"', async () => {
    const [one = ''] = userIds
    await saveUserLink(database.db, link(one, '{"refreshToken":"first"}'))
    await database.db
      .updateTable('crm_user_connections')
      .set({ status: 'needs_reconnect', status_reason: 'revoked' })
      .execute()
    await saveUserLink(database.db, link(one, '{"refreshToken":"second"}'))
    const rows = await database.db.selectFrom('crm_user_connections').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'connected', status_reason: null })
    const context = userLinkContext({ user_id: one, connection_id: connectionId })
    expect(createSecretBox(oldKey).open(rows[0]?.encrypted_tokens ?? '', context)).toContain('second')
  })

  it('re-seals the tokens under a new key, still bound to their user and connection', async () => {
    const [one = '', two = ''] = userIds
    await saveUserLink(database.db, link(two, '{"refreshToken":"two"}'))
    const pendingState = 'user-state-hash'
    await savePendingApproval(
      database.db,
      {
        stateHash: pendingState,
        sealedRequest: createSecretBox(oldKey).seal(
          '{"codeVerifier":"v"}',
          userLinkPendingContext(pendingState),
        ),
        createdBy: two,
        expiresAt: new Date(Date.now() + 600_000),
        purpose: 'user_link',
      },
      new Date(),
    )
    const newKey = randomBytes(32)
    expect(await reencryptSecrets(database.db, oldKey, newKey)).toMatchObject({
      userLinks: 2,
      pendingApprovals: 1,
    })
    const box = createSecretBox(newKey)
    const row = await findUserLink(database.db, two, connectionId)
    const own = userLinkContext({ user_id: two, connection_id: connectionId })
    expect(box.open(row?.encrypted_tokens ?? '', own)).toBe('{"refreshToken":"two"}')
    const another = userLinkContext({ user_id: one, connection_id: connectionId })
    expect(() => box.open(row?.encrypted_tokens ?? '', another)).toThrow(/integrity check/)
    expect(() => createSecretBox(oldKey).open(row?.encrypted_tokens ?? '', own)).toThrow()
    // A user's approval in flight is never taken by the admin's Setup callback.
    expect(await takePendingApproval(database.db, pendingState, 'connection')).toBeUndefined()
    const pending = await takePendingApproval(database.db, pendingState, 'user_link')
    expect(box.open(pending?.sealed_request ?? '', userLinkPendingContext(pendingState))).toContain('"v"')
  })

  it('deletes the links of a workspace user who is deactivated, and only theirs', async () => {
    const [one = '', two = ''] = userIds
    await database.db.updateTable('users').set({ name: 'Renamed' }).where('id', '=', one).execute()
    expect(await findUserLink(database.db, one, connectionId)).toBeDefined()
    await database.db.updateTable('users').set({ is_active: false }).where('id', '=', one).execute()
    expect(await findUserLink(database.db, one, connectionId)).toBeUndefined()
    expect(await findUserLink(database.db, two, connectionId)).toBeDefined()
  })
})
