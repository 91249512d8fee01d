// API versions as Salesforce lists and retires them (sources in versions.ts), over raw HTTP: jsforce has no call
// for the Versions resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { accessToken } from '../testing/access-token.js'
import { releaseName } from './versions.js'

describe('API versions', () => {
  let emulator: RunningEmulator
  let token = ''
  const get = async (path: string) => {
    const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, body: await response.json() }
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 5, seed: 3 })
    token = await accessToken(emulator)
  })
  afterAll(() => emulator.close())

  it('names each release as the REST API guide does', () => {
    expect(releaseName(31)).toBe("Summer '14")
    expect(releaseName(32)).toBe("Winter '15")
    expect(releaseName(50)).toBe("Winter '21")
    expect(releaseName(60)).toBe("Spring '24")
    expect(releaseName(67)).toBe("Summer '26")
    expect(releaseName(68)).toBe("Winter '27")
  })

  it('lists 31.0 up to the newest with release labels, without authentication', async () => {
    const response = await fetch(`${emulator.url}/services/data`)
    const list = (await response.json()) as Array<{ label: string; url: string; version: string }>
    expect(list[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' })
    expect(list.find((v) => v.version === '50.0')?.label).toBe("Winter '21")
    expect(list.at(-1)?.version).toBe('68.0')
    expect(list).toHaveLength(68 - 31 + 1)
  })

  it('serves every listed version and the latest alias on the same resources', async () => {
    for (const version of ['31.0', '40.0', '50.0', '68.0']) {
      expect((await get(`/services/data/v${version}/limits`)).status).toBe(200)
    }
    const latest = await get('/services/data/latest/query?q=SELECT+Id+FROM+Account')
    expect(latest.status).toBe(200)
    const map = await get('/services/data/latest')
    expect(map.body).toMatchObject({ sobjects: '/services/data/v68.0/sobjects' })
  })

  it('answers 410 for a retired version and 404 for one no release has had', async () => {
    for (const path of ['/services/data/v30.0', '/services/data/v20.0/query?q=SELECT+Id+FROM+Account']) {
      const retired = await get(path)
      expect(retired.status).toBe(410)
      expect(retired.body).toEqual([{ errorCode: 'GONE', message: expect.stringContaining('retired') }])
    }
    for (const path of [
      '/services/data/v69.0',
      '/services/data/v99.0/limits',
      '/services/data/60.0/limits',
    ]) {
      expect((await get(path)).status).toBe(404)
    }
    expect((await get('/services/data/v46.0/jobs/query')).status).toBe(404)
  })

  it('answers SOAP login on a retired version with UNSUPPORTED_API_VERSION', async () => {
    const response = await fetch(`${emulator.url}/services/Soap/u/30.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body: '<login><username>x</username><password>y</password></login>',
    })
    expect(response.status).toBe(500)
    expect(await response.text()).toContain('UNSUPPORTED_API_VERSION')
  })
})
