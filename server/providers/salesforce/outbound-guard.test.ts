import { describe, expect, it } from 'vitest'

import { createOutboundGuard, isInternalAddress } from './outbound-guard.js'

// DNS answers are supplied per test so the checks do not depend on this machine's resolver.
const dns = (table: Record<string, string[]>) => async (host: string) => {
  const answer = table[host]
  if (!answer) throw new Error(`ENOTFOUND ${host}`)
  return answer
}

describe('the outbound request guard', () => {
  const guard = createOutboundGuard(
    [],
    dns({
      'acme.my.salesforce.com': ['13.110.0.1'],
      'evil.my.salesforce.com': ['169.254.169.254'],
      'acme--uat.sandbox.my.salesforce.com': ['13.110.0.2'],
    }),
  )

  it('accepts https Salesforce hosts, production and sandbox', async () => {
    await expect(guard.check('https://acme.my.salesforce.com')).resolves.toBeInstanceOf(URL)
    await expect(guard.check('https://acme--uat.sandbox.my.salesforce.com/')).resolves.toBeInstanceOf(URL)
  })

  it.each([
    ['http://acme.my.salesforce.com', /must start with https/],
    ['https://127.0.0.1:8787', /not a Salesforce host/],
    ['https://localhost', /not a Salesforce host/],
    ['https://10.0.0.5', /not a Salesforce host/],
    ['https://169.254.169.254/latest/meta-data', /not a Salesforce host/],
    ['https://[::1]/', /not a Salesforce host/],
    ['https://salesforce.com.attacker.example', /not a Salesforce host/],
    ['https://user:pw@acme.my.salesforce.com', /user name or password/],
    ['not a url', /is not a URL/],
  ])('refuses %s', async (url, message) => {
    await expect(guard.check(url)).rejects.toThrow(message)
  })

  it('refuses a Salesforce-looking name that resolves to an internal address (metadata endpoint)', async () => {
    await expect(guard.check('https://evil.my.salesforce.com')).rejects.toThrow(
      /resolves to an internal address \(169\.254\.169\.254\)/,
    )
  })

  it('lets an operator allow the local emulator, over http, and nothing more', async () => {
    const local = createOutboundGuard(['127.0.0.1:8787'])
    await expect(local.check('http://127.0.0.1:8787')).resolves.toBeInstanceOf(URL)
    await expect(local.check('http://127.0.0.1:9999')).rejects.toThrow(/must start with https/)
    await expect(local.check('https://127.0.0.1:9999')).rejects.toThrow(/not a Salesforce host/)
  })

  it('knows the internal address ranges', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isInternalAddress(address)).toBe(true)
    }
    for (const address of ['13.110.0.1', '8.8.8.8', '2606:4700::1111'])
      expect(isInternalAddress(address)).toBe(false)
  })
})
