import { describe, expect, test } from 'vitest'

import { insertMention } from './mention-text.js'

describe('a picked mention in the text', () => {
  test('replaces the "@partial" typed at the end', () => {
    expect(insertMention('Thanks @Ad', 'Ada Lovelace')).toBe('Thanks @Ada Lovelace ')
    expect(insertMention('@', 'Ada Lovelace')).toBe('@Ada Lovelace ')
    expect(insertMention('line one\n@ad', 'Ada Lovelace')).toBe('line one\n@Ada Lovelace ')
  })

  test('is added at the end when nothing is being typed', () => {
    expect(insertMention('', 'Ada Lovelace')).toBe('@Ada Lovelace ')
    expect(insertMention('Hello', 'Ada Lovelace')).toBe('Hello @Ada Lovelace ')
    expect(insertMention('Hello ', 'Ada Lovelace')).toBe('Hello @Ada Lovelace ')
  })

  test('leaves an e-mail address and earlier mentions alone', () => {
    expect(insertMention('mail ada@example.com', 'Bob')).toBe('mail ada@example.com @Bob ')
    expect(insertMention('@Ada Lovelace said', 'Bob')).toBe('@Ada Lovelace said @Bob ')
  })
})
