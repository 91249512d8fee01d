// Salesforce record ids: a 3-character key prefix (006 Opportunity, 001 Account, 005 User, 00D Organization;
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm#i1435616 (ID field type); 00q OpportunityTeamMember from a secondary source only, fishofprey.com
// "Obscure Salesforce object key prefixes", so UNCONFIRMED), 12 more case-sensitive characters, and for the
// 18-character form a 3-character suffix: for each 5-character block, a bit per upper-case letter (bit i for the
// i-th character), read as an index into A–Z0–5. Salesforce documents only that the suffix makes ids
// case-insensitive; the recipe is the community's (salesforce.stackexchange.com question 1653 and the developer
// forum thread it cites), so UNCONFIRMED from a primary source. ids.test.ts checks it against their published pairs.
// The SOQL engine's ids (emulator/soql/ids.ts) use the same recipe.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'

export function checksumSuffix(id15: string): string {
  let suffix = ''
  for (let block = 0; block < 3; block += 1) {
    let bits = 0
    for (let i = 0; i < 5; i += 1) {
      const char = id15.charCodeAt(block * 5 + i)
      if (char >= 65 && char <= 90) bits |= 1 << i
    }
    suffix += SUFFIX[bits]
  }
  return suffix
}

export function to18(id15: string): string {
  return id15.length === 18 ? id15 : id15 + checksumSuffix(id15)
}

/**
 * The case-sensitive 15-character id an id stands for, or undefined for a malformed one. A 15-character id is taken
 * as written (it is case-sensitive); an 18-character id is case-insensitive ("ID Field Type",
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm): its suffix says which of the
 * first 15 characters are upper case, so any casing of it restores the same id. A suffix that marks a digit as
 * upper case, or letters outside A–Z0–5, belongs to no id.
 */
export function canonicalId15(id: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(id)) return id
  if (!/^[a-zA-Z0-9]{18}$/.test(id)) return undefined
  const suffix = id.slice(15).toUpperCase()
  let restored = ''
  for (let block = 0; block < 3; block += 1) {
    const bits = SUFFIX.indexOf(suffix[block] as string)
    if (bits < 0) return undefined
    for (let i = 0; i < 5; i += 1) {
      const char = id[block * 5 + i] as string
      restored += bits & (1 << i) ? char.toUpperCase() : char.toLowerCase()
    }
  }
  return checksumSuffix(restored) === suffix ? restored : undefined
}

/** True for a well-formed 15-character id or an 18-character id in any case whose suffix matches. */
export function isValidId(id: string): boolean {
  return canonicalId15(id) !== undefined
}

/** Sequential ids per prefix; `pod` mimics the instance characters that follow the prefix in real ids. */
export function createIdFactory(pod = '5g0'): (prefix: string) => string {
  const counters = new Map<string, number>()
  return (prefix) => {
    const next = (counters.get(prefix) ?? 0) + 1
    counters.set(prefix, next)
    let body = ''
    let n = next
    for (let i = 0; i < 9; i += 1) {
      body = BASE62[n % 62] + body
      n = Math.floor(n / 62)
    }
    return to18(`${prefix}${pod}${body}`)
  }
}
