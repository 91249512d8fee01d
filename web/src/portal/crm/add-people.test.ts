import { describe, expect, test } from 'vitest'

import { addedMessage, personOptions } from './add-people.js'

describe('the portal people picker', () => {
  test('offers each person by id and tells apart colleagues with the same name', () => {
    expect(
      personOptions([
        { id: 'u1', name: 'Alex Kim', initials: 'AK' },
        { id: 'u2', name: 'Cara Colleague', initials: 'CC' },
        { id: 'u3', name: 'Alex Kim', initials: 'AK' },
      ]),
    ).toEqual([
      { value: 'u1', label: 'Alex Kim (1)' },
      { value: 'u2', label: 'Cara Colleague' },
      { value: 'u3', label: 'Alex Kim (2)' },
    ])
    expect(personOptions([])).toEqual([])
  })

  test('says whether adding changed anything', () => {
    expect(addedMessage('Cara Colleague', true)).toBe('Cara Colleague was added to this opportunity.')
    expect(addedMessage('Cara Colleague', false)).toBe('Cara Colleague was already on this opportunity.')
  })
})
