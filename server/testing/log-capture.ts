// The production logger (server/logger.ts: redaction and serializers) writing into memory, so a test can read
// every line the app logged.
import { Writable } from 'node:stream'

import type { Logger } from 'pino'

import { createLogger } from '../logger.js'

export function capturingLogger(): { lines: string[]; log: Logger } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  return { lines, log: createLogger({ level: 'debug', format: 'json' }, stream) }
}
