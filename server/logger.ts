import pino, { type Logger } from 'pino'

import type { Config } from './config.js'

// Secrets must never reach a log line, whatever object someone logs. Fastify's request serializer already
// leaves out headers and bodies; these paths are the second line of defence.
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.securityToken',
  '*.consumerSecret',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.csrfToken',
]

export function createLogger(config: Config['log'], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  }
  if (destination) return pino(options, destination)
  if (config.format === 'pretty') {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    })
  }
  return pino(options)
}
