// Body parsers for the OAuth endpoints. API: registerFormParsers(app) makes request.body a Record<string, string>
// for application/x-www-form-urlencoded (what jsforce sends) and multipart/form-data (what the Salesforce CLI's
// device flow sends) — https://github.com/jsforce/jsforce/blob/main/src/oauth2.ts and
// https://github.com/forcedotcom/sfdx-core/blob/main/src/deviceOauthService.ts.
// Only text fields are read; file parts are ignored, as no OAuth parameter is a file.
// JSON bodies: an empty body is no body (clients send Content-Type: application/json on DELETE too); one that does
// not parse is a 400 that app.ts turns into JSON_PARSER_ERROR.
import type { FastifyInstance } from 'fastify'

export function registerFormParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body)
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    try {
      // Drops __proto__ keys, as Fastify's own parser does, so a body cannot reach an object's prototype.
      done(
        null,
        JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)),
      )
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined)
    }
  })
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))))
    },
  )
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(request.headers['content-type'] ?? '')
    const marker = boundary?.[1] ?? boundary?.[2]
    if (!marker) {
      done(Object.assign(new Error('multipart body without a boundary'), { statusCode: 400 }), undefined)
      return
    }
    done(null, parseMultipart(Buffer.isBuffer(body) ? body.toString('utf8') : String(body), marker.trim()))
  })
}

/** Text fields of a multipart/form-data body (RFC 7578): parts separated by `--boundary`, headers, blank line, value. */
export function parseMultipart(text: string, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd < 0) continue
    const headers = part.slice(0, headerEnd)
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1]
    if (name === undefined || /filename=/i.test(headers)) continue
    // The value runs to the CRLF that precedes the next boundary line.
    fields[name] = part.slice(headerEnd + 4).replace(/\r\n$/, '')
  }
  return fields
}
