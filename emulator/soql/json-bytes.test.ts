import { describe, expect, it } from 'vitest'
import { ByteSink } from './json-bytes.js'

describe('ByteSink', () => {
  it('writes JSON string literals that parse back to the original, escapes and non-ASCII included', () => {
    const samples = [
      '',
      'plain ascii 123',
      'quote " and \\ backslash',
      'line\nbreak\ttab\u0001',
      'Zürich – Ünïcödé',
      '😀 emoji',
      '\ud800 lone surrogate',
      '~\u007f',
    ]
    for (const s of samples) {
      const sink = new ByteSink(4) // tiny, so growth is exercised too
      sink.byte(0x5b)
      sink.jsonString(s)
      sink.byte(0x2c)
      sink.ascii('42')
      sink.byte(0x5d)
      expect(JSON.parse(sink.result().toString('utf8'))).toEqual([JSON.parse(JSON.stringify(s)), 42])
    }
  })
})
