// What clients read besides records (issue 14 item 7), through unmodified jsforce where it has a call for it
// (identity(), limits(), query with a parent path) and raw HTTP elsewhere (revocation by GET, SOAP userInfo).
import type jsforce from '@jsforce/jsforce-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { jsforceConnection } from '../testing/jsforce-connection.js'
import { accessToken } from '../testing/access-token.js'

const V = '62.0'

describe('identity, limits, revocation and standard relationships', () => {
  let emulator: RunningEmulator
  let conn: jsforce.Connection

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 30, seed: 14 })
    conn = await jsforceConnection(emulator, V)
  })
  afterAll(() => emulator.close())

  it('answers identity() with the documented fields', async () => {
    const identity = (await conn.identity()) as unknown as Record<string, unknown>
    expect(identity).toMatchObject({
      id: `${emulator.url}/id/${emulator.org.id}/${emulator.org.integrationUserId}`,
      asserted_user: true,
      user_id: emulator.org.integrationUserId,
      organization_id: emulator.org.id,
      username: emulator.credentials.username,
      display_name: 'Integration User',
      first_name: 'Integration',
      last_name: 'User',
      email: emulator.credentials.username,
      email_verified: true,
      timezone: 'America/Los_Angeles',
      locale: 'en_US',
      language: 'en_US',
      active: true,
      user_type: 'STANDARD',
      status: { created_date: null, body: null },
      photos: { picture: expect.any(String), thumbnail: expect.any(String) },
      is_app_installed: true,
    })
    // Los Angeles is 7 or 8 hours behind UTC.
    expect([-7, -8].map((h) => h * 3_600_000)).toContain(identity['utcOffset'])
    const urls = identity['urls'] as Record<string, string>
    expect(Object.keys(urls)).toEqual(
      expect.arrayContaining([
        'enterprise',
        'metadata',
        'partner',
        'rest',
        'sobjects',
        'search',
        'query',
        'recent',
      ]),
    )
    expect(urls['rest']).toBe(`${emulator.url}/services/data/v{version}/`)
    const versioned = await fetch(
      `${identity['id'] as string}?version=latest&oauth_token=${encodeURIComponent(conn.accessToken ?? '')}`,
    )
    const withVersion = (await versioned.json()) as { urls: Record<string, string> }
    expect(withVersion.urls['sobjects']).toBe(`${emulator.url}/services/data/v68.0/sobjects/`)
    // The urls the emulator serves answer.
    const sobjects = await fetch(withVersion.urls['sobjects'] ?? '', {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    })
    expect(sobjects.status).toBe(200)
  })

  it('answers limits() with every documented key, each with Max and Remaining', async () => {
    const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>
    for (const key of [
      'DailyApiRequests',
      'DailyBulkV2QueryJobs',
      'DailyBulkV2QueryFileStorageMB',
      'DailyBulkApiBatches',
      'DailyStreamingApiEvents',
      'DataStorageMB',
      'FileStorageMB',
      'HourlyODataCallout',
      'SingleEmail',
      'MassEmail',
      'PermissionSets',
    ]) {
      expect(limits[key], key).toEqual(
        expect.objectContaining({ Max: expect.any(Number), Remaining: expect.any(Number) }),
      )
    }
    expect(Object.keys(limits).length).toBeGreaterThanOrEqual(50)
    for (const [key, value] of Object.entries(limits))
      expect(value.Remaining, key).toBeLessThanOrEqual(value.Max)
    expect(limits['PermissionSets']).toMatchObject({ CreateCustom: { Max: 1000, Remaining: 1000 } })
    expect(limits['DailyApiRequests']?.Remaining).toBe(15_000 - emulator.org.limits.apiRequestsUsed)
  })

  it('revokes an access token by GET as well as by POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const token = await accessToken(emulator)
      const revoked =
        method === 'GET'
          ? await fetch(`${emulator.url}/services/oauth2/revoke?token=${encodeURIComponent(token)}`)
          : await fetch(`${emulator.url}/services/oauth2/revoke`, {
              method: 'POST',
              body: new URLSearchParams({ token }),
            })
      expect(revoked.status, method).toBe(200)
      const after = await fetch(`${emulator.url}/services/data/v${V}/limits`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(after.status, method).toBe(401)
      const again = await fetch(`${emulator.url}/services/oauth2/revoke?token=${encodeURIComponent(token)}`)
      expect(again.status).toBe(400)
      expect(await again.json()).toMatchObject({ error: 'invalid_token' })
    }
  })

  it('reports sessionSecondsValid in the SOAP login userInfo', async () => {
    const c = emulator.credentials
    const response = await fetch(`${emulator.url}/services/Soap/u/${V}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body:
        '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com">' +
        `<username>${c.username}</username><password>${c.password}${c.securityToken}</password></login></se:Body></se:Envelope>`,
    })
    const xml = await response.text()
    const seconds = Number(/<sessionSecondsValid>(\d+)<\/sessionSecondsValid>/.exec(xml)?.[1])
    expect(seconds).toBeGreaterThan(7_100)
    expect(seconds).toBeLessThanOrEqual(7_200)
    expect(xml).toContain('<organizationMultiCurrency>false</organizationMultiCurrency>')
    expect(xml).toContain('<userTimeZone>America/Los_Angeles</userTimeZone>')
  })

  it('follows User.Manager and Account.Parent in SOQL and describes them', async () => {
    const result = await conn.query<{ Name: string; Manager: { Name: string; Title: string } | null }>(
      "SELECT Name, Manager.Name, Manager.Title FROM User WHERE ManagerId != null AND Title = 'Account Executive' LIMIT 3",
    )
    expect(result.records.length).toBeGreaterThan(0)
    for (const user of result.records) expect(user.Manager).toMatchObject({ Title: 'Sales Manager' })
    const describeUser = await conn.sobject('User').describe()
    expect(describeUser.fields.find((f) => f.name === 'ManagerId')).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'Manager',
    })
    const describeAccount = await conn.sobject('Account').describe()
    expect(describeAccount.fields.find((f) => f.name === 'ParentId')).toMatchObject({
      referenceTo: ['Account'],
      relationshipName: 'Parent',
    })
    const parents = await conn.query('SELECT Name, Parent.Name FROM Account LIMIT 1')
    expect(parents.records[0]).toHaveProperty('Parent', null)
  })
})
