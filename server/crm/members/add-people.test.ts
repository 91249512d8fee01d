// The portal's "Add people" (issue 15 item 3): GET /api/crm/opportunities/:id/addable-people says whether the
// viewer may add members to a deal (the feed settings' who-may-add-members; admins always may) and, only then,
// offers active users who are not on it yet, by name, with no email. Someone not on the deal finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { AddablePerson } from '../../../contracts/api/members.api.js'
import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'
import { initialsOf } from './members.service.js'

describe('people a member may add to a deal', () => {
  let t: TestApp
  let mia: Client
  let bob: Client
  let admin: Client
  const users = { mia: '', bob: '', cara: '', dan: '', gone: '' }
  const emails: string[] = []
  let dealId = ''

  const addable = async (client: Client, search?: string) => {
    const response = await client.request({
      method: 'GET',
      url: `/api/crm/opportunities/${dealId}/addable-people`,
      query: search === undefined ? {} : { search },
    })
    return {
      status: response.statusCode,
      body: response.body,
      json: () => response.json<{ canAdd: boolean; people: AddablePerson[] }>(),
    }
  }
  const setting = async (whoMayAddMembers: 'members' | 'admins') => {
    const response = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/feed-settings',
      payload: { whoMayAddMembers },
    })
    expect(response.statusCode, response.body).toBe(200)
  }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.database.db
    const rows = {
      mia: await t.createUser({ role: 'member', name: 'Mia Member' }),
      bob: await t.createUser({ role: 'member', name: 'Bob Outsider' }),
      cara: await t.createUser({ role: 'member', name: 'Cara Colleague' }),
      dan: await t.createUser({ role: 'member', name: 'Dan van der Berg' }),
      gone: await t.createUser({ role: 'member', name: 'Gone Colleague', isActive: false }),
    }
    const adminRow = await t.createUser({ role: 'admin', name: 'Ada Admin' })
    for (const [key, row] of Object.entries(rows)) {
      users[key as keyof typeof users] = row.id
      emails.push(row.email)
    }
    const connection = await makeConnection(db)
    dealId = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, rows.mia.id, [dealId])
    await setCrmModuleEnabled(db, true)
    mia = await t.signIn(rows.mia.email)
    bob = await t.signIn(rows.bob.email)
    admin = await t.signIn(adminRow.email)
  })
  afterAll(() => t.close())

  it('offers nobody and says no while only admins may add; admins always may', async () => {
    const refused = await addable(mia)
    expect(refused.status).toBe(200)
    expect(refused.json()).toEqual({
      canAdd: false,
      rule: { value: 'admins', source: 'module', moduleDefault: 'admins' },
      people: [],
    })
    const asAdmin = (await addable(admin)).json()
    expect(asAdmin.canAdd).toBe(true)
    expect(asAdmin.people.map((p) => p.id)).toContain(users.cara)
    // Someone not on the deal cannot tell it exists.
    expect((await addable(bob)).status).toBe(404)
  })

  it('offers active people not on the deal, by name, without emails, once members may add', async () => {
    await setting('members')
    const all = await addable(mia)
    expect(all.status).toBe(200)
    const { canAdd, people } = all.json()
    expect(canAdd).toBe(true)
    const ids = people.map((p) => p.id)
    expect(ids).toEqual(expect.arrayContaining([users.bob, users.cara, users.dan]))
    // Not the people already on it, not the deactivated.
    expect(ids).not.toContain(users.mia)
    expect(ids).not.toContain(users.gone)
    for (const email of emails) expect(all.body).not.toContain(email)
    expect(people.every((p) => Object.keys(p).sort().join() === 'id,initials,name')).toBe(true)
    expect(people.find((p) => p.id === users.dan)).toEqual({
      id: users.dan,
      name: 'Dan van der Berg',
      initials: 'DB',
    })

    // Searched by name; an email (or a part only an email has) finds nobody.
    expect((await addable(mia, 'colleague')).json().people.map((p) => p.id)).toEqual([users.cara])
    const domain = emails[2]?.split('@')[1] ?? ''
    expect((await addable(mia, `@${domain}`)).json().people).toEqual([])
    expect((await addable(mia, emails[2])).json().people).toEqual([])
    // A LIKE wildcard is a character, not a pattern.
    expect((await addable(mia, '%')).json().people).toEqual([])

    // Once added, the colleague is no longer offered.
    const added = await mia.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/members`,
      payload: { userId: users.cara },
    })
    expect(added.statusCode, added.body).toBe(200)
    expect((await addable(mia)).json().people.map((p) => p.id)).not.toContain(users.cara)
    await setting('admins')
    expect((await addable(mia)).json()).toMatchObject({ canAdd: false, people: [] })
  })

  it('makes initials from the first and last word of a name', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL')
    expect(initialsOf('  cher ')).toBe('C')
    expect(initialsOf('Émile van Zola')).toBe('ÉZ')
    expect(initialsOf('')).toBe('')
  })
})
