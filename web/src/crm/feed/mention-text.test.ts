import { describe, expect, test } from 'vitest'

import { editableText, insertMention, withMentionTokens } from './mention-text.js'

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

describe('a post opened for editing', () => {
  const ada = '0f8fad5b-d9cb-469f-a165-70867728950e'
  const odd = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
  const html =
    `<p>Hi <span class="mention" data-user-id="${ada}">@Ada Admin</span> and ` +
    `<span class="mention" data-user-id="${odd}">@O&#39;Brien &lt;b&gt;</span></p>`

  test('shows mentions by name and turns them back into the same tokens on save', () => {
    const body = `Hi @{${ada}} and @{${odd}}`
    const { text, picked } = editableText(body, html)
    expect(text).toBe("Hi @Ada Admin and @O'Brien <b>")
    expect(withMentionTokens(text, picked)).toBe(body)
  })

  test('leaves a token it has no name for as it is', () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect(editableText(`cc @{${unknown}}`, '<p>cc @someone</p>').text).toBe(`cc @{${unknown}}`)
  })
})
