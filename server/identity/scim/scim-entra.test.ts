// Microsoft Entra ID's provisioning sequence, replayed as Entra sends it (request bodies from Microsoft's
// "Tutorial: Develop and plan provisioning for a SCIM endpoint",
// https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups, and the
// quirks of https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility):
// query by userName, create with the Enterprise extension, PATCH with capitalised op names and "False" as a
// string, groups created empty and filled by PATCH (with "$ref": null), soft delete, hard delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startScimFixture, type ScimFixture } from '../../testing/scim-fixture.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const USER_NAME = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1'

describe('Entra ID provisioning', () => {
  let f: ScimFixture
  let userId: string
  beforeAll(async () => {
    f = await startScimFixture()
  })
  afterAll(() => f.close())

  const user = async () =>
    f.t.database.db
      .selectFrom('users')
      .select(['name', 'email', 'is_active'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()

  it('looks the user up, creates them with the Enterprise extension, and finds them by userName and externalId', async () => {
    const query = await f.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${USER_NAME}"`)}`)
    expect(query.json()).toMatchObject({ totalResults: 0, Resources: [] })
    const created = await f.scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: USER_NAME,
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '701984' },
    })
    expect(created.statusCode).toBe(201)
    userId = created.json().id
    expect(created.json()).toMatchObject({
      schemas: [USER, ENTERPRISE],
      userName: USER_NAME,
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '701984' },
    })
    expect(await user()).toEqual({
      name: 'givenName familyName',
      email: 'test_user_fd0ea19b@testuser.com',
      is_active: true,
    })

    for (const filter of [
      `userName eq "${USER_NAME.toUpperCase()}"`,
      'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
      'emails[type eq "work"].value eq "test_user_fd0ea19b@testuser.com"',
    ]) {
      const found = await f.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      expect({ filter, ids: found.json().Resources.map((r: { id: string }) => r.id) }).toEqual({
        filter,
        ids: [userId],
      })
    }
  })

  it('applies PATCH with capitalised ops, value paths and the manager as a string', async () => {
    const patched = await f.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: '2819c223-7f76-453a-919d-413861904646' },
      ],
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      name: { familyName: 'updatedFamilyName' },
      emails: [expect.objectContaining({ value: 'updatedEmail@microsoft.com' })],
      [ENTERPRISE]: { manager: { value: '2819c223-7f76-453a-919d-413861904646' } },
    })
    expect((await user()).email).toBe('updatedemail@microsoft.com')
  })

  it('soft-deletes with "active": "False" (a string) and brings the user back with "True"', async () => {
    const off = await f.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    expect(off.json().active).toBe(false)
    expect((await user()).is_active).toBe(false)
    const on = await f.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    })
    expect(on.json().active).toBe(true)
  })

  it('creates a group empty, adds and removes members by PATCH, and reads it without members', async () => {
    const created = await f.scim('POST', '/Groups', {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales EMEA',
      meta: { resourceType: 'Group' },
    })
    expect(created.statusCode).toBe(201)
    const groupId = created.json().id
    const add = await f.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }],
    })
    expect(add.statusCode).toBe(200)
    const member = await f.scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members eq "${userId}"`)}&excludedAttributes=members`,
    )
    expect(member.json()).toMatchObject({
      totalResults: 1,
      Resources: [{ id: groupId, displayName: 'Sales EMEA' }],
    })
    expect(member.json().Resources[0].members).toBeUndefined()

    const byName = await f.scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales EMEA"')}`,
    )
    expect(byName.json().Resources.map((g: { id: string }) => g.id)).toEqual([groupId])
    expect(
      (await f.scim('GET', `/Groups/${groupId}?excludedAttributes=members`)).json().members,
    ).toBeUndefined()

    const rename = await f.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Sales EMEA North' }],
    })
    expect(rename.json()).toMatchObject({ displayName: 'Sales EMEA North', members: [{ value: userId }] })
    const remove = await f.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }],
    })
    expect(remove.json().members).toEqual([])
  })

  it('hard-deletes: the user is gone for SCIM, deactivated here, and comes back if provisioned again', async () => {
    expect((await f.scim('DELETE', `/Users/${userId}`)).statusCode).toBe(204)
    expect((await f.scim('GET', `/Users/${userId}`)).statusCode).toBe(404)
    expect((await user()).is_active).toBe(false)
    const again = await f.scim('POST', '/Users', {
      schemas: [USER],
      userName: USER_NAME,
      active: true,
      emails: [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }],
    })
    expect(again.statusCode).toBe(201)
    expect(again.json().id).toBe(userId)
    expect((await user()).is_active).toBe(true)
  })
})
