import { describe, expect, test } from 'vitest'

import { localizeTimes, messagePieces } from './message-parts.js'

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

describe('moments in server text', () => {
  const at = '2026-12-02T16:55:00.000Z'

  test('a Sync Log message shows its moment in the reader’s locale and zone, not as ISO', () => {
    const parts = [
      { text: 'Fetching 3 opportunities changed since ' },
      { dateTime: at },
      { text: ' (REST).' },
    ]
    const us = messagePieces(parts, 'en-US', 'America/New_York')
    expect(plain(us.map((piece) => piece.text).join(''))).toBe(
      'Fetching 3 opportunities changed since Dec 2, 2026, 11:55 AM (REST).',
    )
    expect(us[1]).toMatchObject({ dateTime: at })
    expect(messagePieces(parts, 'de-DE', 'Europe/Berlin')[1]?.text).toBe('02.12.2026, 17:55')
  })

  test('a timeline entry, as stored before and now, reads its <time> in the reader’s locale', () => {
    const html = `<p><strong>Stage</strong>: A → B, changed in Salesforce by Ada <time datetime="${at}">2026-12-02 16:55 UTC</time></p>`
    expect(localizeTimes(html, 'de-DE', 'Europe/Berlin')).toBe(
      `<p><strong>Stage</strong>: A → B, changed in Salesforce by Ada <time datetime="${at}">02.12.2026, 17:55</time></p>`,
    )
    // Nothing to do, or a value that does not parse: unchanged.
    expect(localizeTimes('<p>No moment here</p>', 'en-US')).toBe('<p>No moment here</p>')
    const odd = '<time datetime="soon">soon</time>'
    expect(localizeTimes(odd, 'en-US')).toBe(odd)
  })
})
