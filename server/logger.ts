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

// Query parameters that are secrets in a URL: one-time link tokens (/setup, /reset-password) and the OAuth 2.0
// authorization response (code, state: https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2) and tokens.
const SECRET_QUERY =
  /([?&](?:token|code|state|session_state|id_token|id_token_hint|access_token|refresh_token)=)[^&#]*/gi

/** A URL as it may be logged: secret query values replaced. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]')
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number } | null
}

// Fastify's request serializer (node_modules/fastify/lib/logger-pino.js) with the URL made loggable.
function requestSerializer(request: LoggedRequest) {
  return {
    method: request.method,
    url: loggableUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

// Drivers attach the statement's parameters to their errors (PGlite: `params`, `queryOptions`), and those
// hold what was being written: password hashes, sealed secrets, emails. The statement text stays.
const PARAMETER_KEYS = ['params', 'parameters', 'queryOptions', 'values']

function errorSerializer(err: Error): pino.SerializedError {
  const serialized = pino.stdSerializers.err(err)
  const strip = (value: Record<string, unknown>, depth: number): void => {
    for (const key of PARAMETER_KEYS) if (key in value) value[key] = '[redacted]'
    const cause = value['cause']
    if (depth < 8 && cause && typeof cause === 'object') strip(cause as Record<string, unknown>, depth + 1)
  }
  strip(serialized, 0)
  return serialized
}

export function createLogger(config: Config['log'], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer, err: errorSerializer, error: errorSerializer },
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
