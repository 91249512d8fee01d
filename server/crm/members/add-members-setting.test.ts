// "Who may add members" (issue 15 item 3): the feed settings' module default decides whether the people on a
// deal may add colleagues to it from the portal; admins always may. Enforced by the server, not the UI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { assignManually, makeConnection, makeOpportunity } from '../../testing/crm-factories.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

describe('who may add members', () => {
  let t: TestApp
  let mia: Client
  let bob: Client
  let cara: Client
  let admin: Client
  const users = { cara: '', gone: '' }
  const ids = { mias: '', bobs: '', nobodys: '' }

  const add = (client: Client, opportunityId: string, userId: string) =>
    client.request({
      method: 'POST',
      url: `/api/crm/opportunities/${opportunityId}/members`,
      payload: { userId },
    })
  const setting = async (whoMayAddMembers: 'members' | 'admins') => {
    const response = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/feed-settings',
      payload: { whoMayAddMembers },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ settings: { whoMayPost: string; whoMayAddMembers: string } }>().settings
  }
  const caraSees = async (opportunityId: string) =>
    (await cara.request({ method: 'GET', url: `/api/crm/opportunities/${opportunityId}` })).statusCode

  beforeAll(async () => {
    t = await buildTestApp({ crmModule: true })
    const db = t.database.db
    const [miaRow, bobRow, caraRow, adminRow] = [
      await t.signInNew({ role: 'member' }),
      await t.signInNew({ role: 'member' }),
      await t.signInNew({ role: 'member' }),
      await t.signInNew({ role: 'admin' }),
    ]
    const goneRow = await t.createUser({ role: 'member', isActive: false })
    Object.assign(users, { cara: caraRow.id, gone: goneRow.id })
    const connection = await makeConnection(db)
    ids.mias = (await makeOpportunity(db, connection.id)).id
    ids.bobs = (await makeOpportunity(db, connection.id)).id
    ids.nobodys = (await makeOpportunity(db, connection.id)).id
    await assignManually(db, miaRow.id, [ids.mias])
    await assignManually(db, bobRow.id, [ids.bobs])
    ;[mia, bob, cara, admin] = [miaRow.client, bobRow.client, caraRow.client, adminRow.client]
  })
  afterAll(() => t.close())

  it('lets only admins add members by default', async () => {
    const settings = await admin.request({ method: 'GET', url: '/api/admin/crm/feed-settings' })
    expect(settings.json()).toMatchObject({ settings: { whoMayPost: 'members', whoMayAddMembers: 'admins' } })
    const refused = await add(mia, ids.mias, users.cara)
    expect(refused.statusCode).toBe(403)
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/Only admins/)
    expect(await caraSees(ids.mias)).toBe(404)
  })

  it('lets the people on a deal add a colleague once the admin allows it, and nobody else', async () => {
    expect(await setting('members')).toMatchObject({ whoMayPost: 'members', whoMayAddMembers: 'members' })
    const added = await add(mia, ids.mias, users.cara)
    expect(added.statusCode, added.body).toBe(200)
    expect(added.json()).toMatchObject({ changed: true, member: { user: { id: users.cara } } })
    expect(await caraSees(ids.mias)).toBe(200)
    // Adding again changes nothing.
    expect((await add(mia, ids.mias, users.cara)).json()).toMatchObject({ changed: false })

    // Not on the deal: it does not exist for them, whatever the setting.
    expect((await add(bob, ids.mias, users.cara)).statusCode).toBe(404)
    expect((await add(mia, ids.nobodys, users.cara)).statusCode).toBe(404)
    expect(await caraSees(ids.nobodys)).toBe(404)
    // A deactivated person cannot be added.
    expect((await add(mia, ids.mias, users.gone)).statusCode).toBe(400)
  })

  it('refuses again when the admin switches back, and admins may always add', async () => {
    expect((await setting('admins')).whoMayAddMembers).toBe('admins')
    expect((await add(bob, ids.bobs, users.cara)).statusCode).toBe(403)
    expect(await caraSees(ids.bobs)).toBe(404)
    expect((await add(admin, ids.bobs, users.cara)).statusCode).toBe(200)
    expect(await caraSees(ids.bobs)).toBe(200)
  })
})
