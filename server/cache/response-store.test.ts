// Which answers a flush removes, and which reads that raced a flush are refused (response-store.ts).
import { describe, expect, it } from 'vitest'

import { createResponseStore } from './response-store.js'

const feedOf = (deal: string) => ['u:bob', `o:${deal}`]

describe('response store', () => {
  it('flushes the answers of a scope and every unscoped one, and keeps the rest', () => {
    const store = createResponseStore(1_000_000)
    const mark = store.mark()
    store.remember('bob feed x', '"x"', mark, feedOf('x'))
    store.remember('bob feed y', '"y"', mark, feedOf('y'))
    store.remember('bob list', '"list"', mark, undefined)
    store.flushScopes(['o:x'])
    expect(store.get('bob feed x')).toBeUndefined()
    expect(store.get('bob list')).toBeUndefined()
    expect(store.get('bob feed y')).toBe('"y"')
    store.flushScopes(['u:bob'])
    expect(store.get('bob feed y')).toBeUndefined()
    expect(store.stats().responses).toBe(0)
  })

  it("refuses an answer read before a flush of one of its scopes, not one of another's", () => {
    const store = createResponseStore(1_000_000)
    const before = store.mark()
    store.flushScopes(['o:x'])
    store.remember('bob feed x', '"old x"', before, feedOf('x'))
    store.remember('bob feed y', '"y"', before, feedOf('y'))
    // Unscoped answers may depend on anything: any flush since the read began refuses them.
    store.remember('bob list', '"old list"', before, undefined)
    expect(store.get('bob feed x')).toBeUndefined()
    expect(store.get('bob feed y')).toBe('"y"')
    expect(store.get('bob list')).toBeUndefined()
    store.remember('bob feed x', '"new x"', store.mark(), feedOf('x'))
    expect(store.get('bob feed x')).toBe('"new x"')
  })

  it('refuses every earlier read after flushing all, and after forgetting old scope flushes', () => {
    const store = createResponseStore(1_000_000)
    const before = store.mark()
    store.flushAll()
    store.remember('bob feed y', '"y"', before, feedOf('y'))
    expect(store.get('bob feed y')).toBeUndefined()

    // So many scopes flushed that the oldest are forgotten: a read from before cannot prove it missed none.
    const early = store.mark()
    for (let i = 0; i < 100_001; i += 1) store.flushScopes([`o:deal-${i}`])
    store.remember('bob feed y', '"y"', early, feedOf('y'))
    expect(store.get('bob feed y')).toBeUndefined()
    store.remember('bob feed y', '"y"', store.mark(), feedOf('y'))
    expect(store.get('bob feed y')).toBe('"y"')
  })

  it('drops an evicted answer from its scopes, so a later flush does not reach a replacement', () => {
    const store = createResponseStore(100)
    store.remember('bob feed x', '"x"', store.mark(), feedOf('x'))
    // Too big for the store with the first: the first is evicted.
    store.remember('bob feed y', `"${'y'.repeat(30)}"`, store.mark(), feedOf('y'))
    expect(store.get('bob feed x')).toBeUndefined()
    store.remember('bob feed x', '"x2"', store.mark(), ['u:bob', 'o:z'])
    store.flushScopes(['o:x'])
    expect(store.get('bob feed x')).toBe('"x2"')
  })

  it('indexes no answer too large for the store, so a flush of its scopes spares a later answer of its key', () => {
    const store = createResponseStore(100)
    store.remember('bob feed x', `"${'x'.repeat(100)}"`, store.mark(), feedOf('x'))
    expect(store.get('bob feed x')).toBeUndefined()
    store.remember('bob feed x', '"small"', store.mark(), ['u:bob', 'o:z'])
    store.flushScopes(['o:x'])
    expect(store.get('bob feed x')).toBe('"small"')
  })
})
