import { describe, expect, it } from 'vitest'

import { salesforceRecordUrl } from './record-url.js'

const id = '006Hs00001AbCdEIAV'

describe('salesforceRecordUrl', () => {
  it('turns a My Domain host into its Lightning record URL', () => {
    expect(salesforceRecordUrl('https://acme.my.salesforce.com', id)).toBe(
      `https://acme.lightning.force.com/lightning/r/Opportunity/${id}/view`,
    )
    expect(salesforceRecordUrl('https://ACME.my.salesforce.com/', id)).toBe(
      `https://acme.lightning.force.com/lightning/r/Opportunity/${id}/view`,
    )
  })

  it('keeps the sandbox and other enhanced-domain suffixes', () => {
    expect(salesforceRecordUrl('https://acme--dev.sandbox.my.salesforce.com', id)).toBe(
      `https://acme--dev.sandbox.lightning.force.com/lightning/r/Opportunity/${id}/view`,
    )
    expect(salesforceRecordUrl('https://acme-dev-ed.develop.my.salesforce.com', id)).toBe(
      `https://acme-dev-ed.develop.lightning.force.com/lightning/r/Opportunity/${id}/view`,
    )
  })

  it('falls back to the Classic record URL on other hosts, such as the emulator', () => {
    expect(salesforceRecordUrl('http://127.0.0.1:8787', id)).toBe(`http://127.0.0.1:8787/${id}`)
    expect(salesforceRecordUrl('https://na1.salesforce.com/', id)).toBe(`https://na1.salesforce.com/${id}`)
    expect(salesforceRecordUrl('http://acme.my.salesforce.com', id)).toBe(
      `http://acme.my.salesforce.com/${id}`,
    )
  })

  it('gives no link without a usable instance URL', () => {
    expect(salesforceRecordUrl(null, id)).toBeNull()
    expect(salesforceRecordUrl('not a url', id)).toBeNull()
  })
})
