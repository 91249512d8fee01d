import { describe, expect, it } from 'vitest'

import { canonicalId15, checksumSuffix, createIdFactory, isValidId, to18 } from './ids.js'

describe('record ids', () => {
  // Pairs published with the community write-ups of the algorithm (salesforce.stackexchange.com q. 1653 and the
  // developer forum thread it cites); Salesforce itself documents only that the suffix makes ids case-insensitive.
  it.each([
    ['00558000001N0Ke', '00558000001N0KeAAK'],
    ['a0BA0000000L2ZC', 'a0BA0000000L2ZCMA0'],
    ['AaaAABbbBBCccCC', 'AaaAABbbBBCccCCZZZ'],
    ['ABCDEFGHIJKLMNO', 'ABCDEFGHIJKLMNO555'],
  ])('turns %s into %s', (id15, id18) => {
    expect(to18(id15)).toBe(id18)
    expect(checksumSuffix(id15)).toBe(id18.slice(15))
    expect(isValidId(id18)).toBe(true)
  })

  it('refuses a suffix that marks a digit upper case, a wrong length and stray characters', () => {
    expect(isValidId('00558000001N0KeBAK')).toBe(false)
    expect(isValidId('00558000001N0Ke9AK')).toBe(false)
    expect(isValidId('00558000001N0K')).toBe(false)
    expect(isValidId('00558000001N0K-AAK')).toBe(false)
    expect(isValidId('00558000001N0Ke')).toBe(true)
  })

  it('reads an 18-character id in any case as the same id, a 15-character one as written', () => {
    for (const id of ['00558000001N0KeAAK', '00558000001n0keaak', '00558000001N0KEAAK'])
      expect(canonicalId15(id)).toBe('00558000001N0Ke')
    // Another casing of the suffix names another record: AAA says no letter is upper case.
    expect(canonicalId15('00558000001N0KeAAA')).toBe('00558000001n0ke')
    expect(canonicalId15('00558000001n0ke')).toBe('00558000001n0ke')
  })

  it('hands out distinct, valid 18-character ids per key prefix', () => {
    const newId = createIdFactory()
    const ids = ['006', '006', '001', '005', '00D', '00q'].map((prefix) => newId(prefix))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      expect(id).toHaveLength(18)
      expect(isValidId(id)).toBe(true)
    }
    expect(ids.map((id) => id.slice(0, 3))).toEqual(['006', '006', '001', '005', '00D', '00q'])
  })
})
