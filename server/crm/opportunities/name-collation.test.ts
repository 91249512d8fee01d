// Sorting by name pages the same, cached and live: Salesforce orders text by its upper-cased value ("For English
// locales, SOQL uses the UTF-8 values of the uppercase character", SOQL and SOSL Reference, ORDER BY,
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm),
// so [ \ ] ^ _ ` (between 'Z' and 'a' in ASCII) sort after every letter. Keyset pages that compare text in
// another order than they sort skip or repeat exactly these names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../../testing/crm-factories.js'
import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { orgOpportunities, syncNow } from '../../testing/sync-fixture.js'
import { buildTestApp, type Client, type TestApp } from '../../testing/test-app.js'

const FIRST = ['a', 'B', '_', '[', '`', '\\', ']', '^']
const SECOND = ['z', 'Y', '_', '`']
// 32 names, distinct once upper-cased (ties would fall back to the id).
const NAMES = FIRST.flatMap((one) => SECOND.map((two) => `Deal ${one}${two}`))

describe('name order with characters between the cases', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  let member: Client
  let connectionId: string

  const save = async (cacheLocally: boolean) => {
    const response = await admin.request({
      method: 'PUT',
      url: '/api/admin/crm/connection',
      payload: passwordSettings(emulator, { cacheLocally }),
    })
    expect(response.json<{ saved: boolean }>().saved, response.body).toBe(true)
    return response.json<{ connection: { id: string } }>().connection.id
  }
  const allPages = async (client: Client, url: string, direction: string) => {
    const names: string[] = []
    let cursor: string | null = null
    do {
      const query = `sort=name&direction=${direction}&limit=3${cursor ? `&cursor=${cursor}` : ''}`
      const response = await client.request({ method: 'GET', url: `${url}?${query}` })
      expect(response.statusCode, response.body).toBe(200)
      const body = response.json<{ items: Array<{ name: string }>; nextCursor: string | null }>()
      names.push(...body.items.map((item) => item.name))
      cursor = body.nextCursor
    } while (cursor)
    return names
  }
  // Byte order of the upper-cased names (all ASCII here).
  const expected = (direction: string) => {
    const sorted = [...NAMES].sort((x, y) => (x.toUpperCase() < y.toUpperCase() ? -1 : 1))
    return direction === 'asc' ? sorted : sorted.reverse()
  }
  const lists = ['/api/admin/crm/opportunities', '/api/crm/opportunities']

  beforeAll(async () => {
    emulator = await startTestEmulator({ opportunities: NAMES.length, seed: 5 })
    const ids = orgOpportunities(emulator.org).map((o) => o.id)
    for (const [i, id] of ids.entries())
      await emulator.control.updateRecord('Opportunity', id, { Name: NAMES[i] ?? null })
    t = await buildTestApp({
      syncDispatcher: { dispatch: async () => undefined, stop: async () => undefined },
      clock: { now: () => new Date(emulator.org.now()) },
    })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const memberRow = await t.createUser()
    member = await t.signIn(memberRow.email)
    await setCrmModuleEnabled(t.database.db, true)
    connectionId = await save(true)
    expect(await syncNow(t, connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
    await assignManually(t.database.db, memberRow.id, ids)
  })
  afterAll(async () => {
    await t?.close()
    await emulator?.close()
  })

  it.each(['asc', 'desc'])(
    'pages %s in small pages, cached and live, each name once in one order',
    async (dir) => {
      await save(true)
      expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
      const cached = await Promise.all(
        lists.map((url) => allPages(url.includes('admin') ? admin : member, url, dir)),
      )
      await save(false)
      expect(await syncNow(t, connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
      const live = await Promise.all(
        lists.map((url) => allPages(url.includes('admin') ? admin : member, url, dir)),
      )
      for (const names of [...cached, ...live]) expect(names).toEqual(expected(dir))
    },
  )
})
