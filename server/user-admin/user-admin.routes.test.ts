import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildTestApp, type Client, type TestApp } from '../testing/test-app.js'

describe('user administration', () => {
  let t: TestApp
  let admin: Client
  let adminId: string
  beforeAll(async () => {
    t = await buildTestApp()
    const row = await t.createUser({ role: 'admin', email: 'root@example.com', name: 'Root Admin' })
    adminId = row.id
    admin = await t.signIn(row.email)
  })
  afterAll(() => t.close())

  it('creates a member with a password who can then sign in', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: {
        name: 'Mia Member',
        email: 'MIA@example.com',
        role: 'member',
        password: 'mia has a long password',
      },
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({
      user: { email: 'mia@example.com', isActive: true },
      passwordLink: null,
    })
    expect(response.body).not.toMatch(/password_hash|argon2/)
    await t.signIn('mia@example.com', 'mia has a long password')
  })

  it('gives a one-time link when no password is set', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: { name: 'Noah', email: 'noah@example.com', role: 'member' },
    })
    expect(response.json().passwordLink.url).toMatch(/\/reset-password\?token=[\w-]{40,}$/)
  })

  it('refuses a duplicate email whatever its case, with the field named, and writes nothing', async () => {
    const before = await t.database.db.selectFrom('audit_events').select('id').execute()
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: { name: 'Copy', email: 'Mia@Example.COM', role: 'member' },
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().error).toMatchObject({
      code: 'CONFLICT',
      fields: { email: 'This email is already in use.' },
    })
    const after = await t.database.db.selectFrom('audit_events').select('id').execute()
    expect(after.length).toBe(before.length)
    const tokens = await t.database.db.selectFrom('one_time_tokens').selectAll().execute()
    expect(tokens.length).toBe(1)
  })

  it('names every bad or unknown field', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: { name: '', email: 'not-an-email', role: 'owner', isAdmin: true },
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().error.fields).sort()).toEqual(['email', 'isAdmin', 'name', 'role'])
  })

  it('edits, searches and deactivates a user, ending their sessions at once', async () => {
    const member = await t.createUser({ name: 'Olive Member', email: 'olive@example.com' })
    const memberClient = await t.signIn(member.email)
    const renamed = await admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${member.id}`,
      payload: { name: 'Olive Green' },
    })
    expect(renamed.json().user.name).toBe('Olive Green')

    const search = await admin.request({ method: 'GET', url: '/api/admin/users?search=green' })
    expect(search.json().users.map((u: { email: string }) => u.email)).toEqual(['olive@example.com'])

    const deactivated = await admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${member.id}`,
      payload: { isActive: false },
    })
    expect(deactivated.json().user.isActive).toBe(false)
    expect((await memberClient.request({ method: 'GET', url: '/api/modules' })).statusCode).toBe(401)
    const login = await t.anonymous().request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: member.email, password: 'correct horse battery staple' },
    })
    expect(login.json().error.code).toBe('ACCOUNT_DISABLED')

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id'])
      .where('target_id', '=', member.id)
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'user.updated', actor_user_id: adminId },
      { action: 'user.deactivated', actor_user_id: adminId },
    ])
  })

  it('keeps at least one admin: nobody demotes or deactivates themselves', async () => {
    const self = await admin.request({
      method: 'PATCH',
      url: `/api/admin/users/${adminId}`,
      payload: { role: 'member' },
    })
    expect(self.statusCode).toBe(409)
    expect(self.json().error.message).toMatch(/your own admin access/)
  })

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const unknown = await admin.request({
      method: 'PATCH',
      url: '/api/admin/users/00000000-0000-4000-8000-000000000000',
      payload: { name: 'X' },
    })
    expect(unknown.statusCode).toBe(404)
    const malformed = await admin.request({
      method: 'PATCH',
      url: '/api/admin/users/42',
      payload: { name: 'X' },
    })
    expect(malformed.json().error.fields).toEqual({ id: 'Not a valid user id.' })
    const empty = await admin.request({ method: 'PATCH', url: `/api/admin/users/${adminId}`, payload: {} })
    expect(empty.statusCode).toBe(400)
  })

  it('refuses members', async () => {
    const member = await t.createUser()
    const client = await t.signIn(member.email)
    const response = await client.request({ method: 'GET', url: '/api/admin/users' })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('FORBIDDEN')
  })
})
