// Calls the Salesforce CLI (`sf`) makes beyond jsforce's, found by running sf 2.146.3 against the emulator
// (docs/sf-cli-with-the-emulator.md): the Organization query after every login, columns=true for aggregate
// queries, Record Count and the Single Access UI Bridge (frontdoor) used by `sf org open`.
import jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'

const V = '66.0'

describe('what the Salesforce CLI asks for', () => {
  let emulator: RunningEmulator
  let token = ''
  const get = async (path: string, auth = true) => {
    const response = await fetch(`${emulator.url}${path}`, {
      headers: auth ? { authorization: `Bearer ${token}` } : {},
      redirect: 'manual',
    })
    const text = await response.text()
    const json = response.headers.get('content-type')?.startsWith('application/json')
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text }
  }
  const query = (soql: string, extra = '') =>
    get(`/services/data/v${V}/query?q=${encodeURIComponent(soql)}${extra}`)

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 30, seed: 7 })
    // sf logs in through jsforce, so a jsforce login gives the session it would hold.
    const c = emulator.credentials
    const oauth2 = { clientId: c.consumerKey, clientSecret: c.consumerSecret, loginUrl: emulator.url }
    const conn = new jsforce.Connection({ loginUrl: emulator.url, version: V, oauth2 })
    await conn.login(c.username, c.password + c.securityToken)
    token = conn.accessToken ?? ''
  })
  afterAll(() => emulator.close())

  it("answers sfdx-core's Organization query, with the org ID as the row's Id", async () => {
    const { status, body } = await query(
      'SELECT Id, Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    )
    expect(status).toBe(200)
    expect(body.totalSize).toBe(1)
    expect(body.records[0]).toMatchObject({
      Id: emulator.org.id,
      IsSandbox: false,
      TrialExpirationDate: null,
      NamespacePrefix: null,
      OrganizationType: 'Developer Edition',
    })
  })

  it('describes aggregate columns for columns=true: exprN or the alias, with the function as displayName', async () => {
    const soql = 'SELECT StageName, COUNT(Id), SUM(Amount) total FROM Opportunity GROUP BY StageName'
    const rows = await query(soql)
    expect(rows.status).toBe(200)
    expect(Object.keys(rows.body.records[0])).toEqual(['attributes', 'StageName', 'expr0', 'total'])
    const { status, body } = await query(soql, '&columns=true')
    expect(status).toBe(200)
    expect(body).toMatchObject({ entityName: 'Opportunity', groupBy: true, idSelected: false })
    expect(body.columnMetadata).toEqual([
      expect.objectContaining({ aggregate: false, columnName: 'StageName', displayName: 'StageName' }),
      expect.objectContaining({
        aggregate: true,
        apexType: null,
        columnName: 'expr0',
        displayName: 'COUNT(Id)',
        numberType: true,
        joinColumns: [],
      }),
      expect.objectContaining({ aggregate: true, columnName: 'total', displayName: 'SUM(Amount)' }),
    ])
    const plain = await query('SELECT Id, Name FROM Opportunity', '&columns=true')
    expect(plain.body.groupBy).toBe(false)
  })

  it('counts records per object, leaving out unknown names and the recycle bin', async () => {
    const [victim] = (await query('SELECT Id FROM Opportunity LIMIT 1')).body.records as { Id: string }[]
    const deleted = await fetch(`${emulator.url}/services/data/v${V}/sobjects/Opportunity/${victim?.Id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(deleted.status).toBe(204)
    const some = await get(`/services/data/v${V}/limits/recordCount?sObjects=opportunity,Account,Nope__c`)
    expect(some.status).toBe(200)
    expect(some.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/)
    expect(some.body).toEqual({
      sObjects: [
        { count: 29, name: 'Opportunity' },
        { count: expect.any(Number), name: 'Account' },
      ],
    })
    const all = await get(`/services/data/v${V}/limits/recordCount`)
    expect(all.body.sObjects.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['Opportunity', 'Account', 'User', 'Organization']),
    )
    expect((await get(`/services/data/v${V}/limits/recordCount`, false)).status).toBe(401)
  })

  it('hands out a single-use frontdoor URL that redirects to redirect_uri', async () => {
    const id = (await query('SELECT Id FROM Opportunity LIMIT 1')).body.records[0].Id as string
    const single = await get(
      `/services/oauth2/singleaccess?redirect_uri=${encodeURIComponent(`lightning/r/Opportunity/${id}/view`)}`,
    )
    expect(single.status).toBe(200)
    const frontdoor = new URL(single.body.frontdoor_uri as string)
    expect(`${frontdoor.origin}${frontdoor.pathname}`).toBe(`${emulator.url}/secur/frontdoor.jsp`)
    expect(frontdoor.searchParams.get('startURL')).toBe(`/lightning/r/Opportunity/${id}/view`)

    const first = await fetch(frontdoor, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(`/lightning/r/Opportunity/${id}/view`)
    expect((await fetch(frontdoor, { redirect: 'manual' })).status).toBe(401)

    const home = await get('/services/oauth2/singleaccess')
    const landing = await fetch(home.body.frontdoor_uri as string, { redirect: 'manual' })
    expect(landing.status).toBe(200)
    expect(await landing.text()).toContain(emulator.org.id)
    expect((await get('/services/oauth2/singleaccess', false)).status).toBe(401)
  })
})
