// The API versions the emulated org serves, and the one parser every route uses for `vXX.X` in its path.
// * Versions (REST API "Versions", /services/data, no authentication), body [{label, url, version}] with release
//   names as labels: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm
//   and the example list from 31.0 "Summer '14" in
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_versions.htm. Releases come three a
//   year (Winter, Spring, Summer); the guide's version menu lists 50.0 "Winter '21" … 67.0 "Summer '26".
// * `latest` resolves to the most recently released version ("Version alias" on the Versions page).
// * API End-of-Life Policy: 31.0 through 68.0 supported, 21.0 through 30.0 retired as of Summer '25, 7.0 through 20.0
//   retired as of Summer '22; "If you request any resource or use an operation from a retired API version, REST API
//   returns the 410:GONE error code" and SOAP API "500:UNSUPPORTED_API_VERSION":
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/api_rest_eol.htm and
//   https://developer.salesforce.com/docs/platform/api-metadata/guide/meta-api-eol.html. The policy gives no body
//   for the 410; ours is the usual error array with errorCode GONE (message UNCONFIRMED).
// * Anything else (a version no release has had yet, a malformed segment) is a resource that does not exist: 404.
import type { FastifyReply, FastifyRequest } from 'fastify'

import { sendError } from './errors.js'

export const OLDEST_VERSION = 31
export const NEWEST_VERSION = 68

const SEASONS = ['Winter', 'Spring', 'Summer'] as const

/** "Summer '14" for 31.0, "Winter '21" for 50.0, "Winter '27" for 68.0. */
export function releaseName(major: number): string {
  if (major === 31) return "Summer '14"
  const index = major - 32
  const year = 15 + Math.floor(index / 3)
  return `${SEASONS[index % 3] as string} '${String(year).padStart(2, '0')}`
}

export const API_VERSIONS: readonly string[] = Array.from(
  { length: NEWEST_VERSION - OLDEST_VERSION + 1 },
  (_, i) => `${OLDEST_VERSION + i}.0`,
)

export const LATEST_VERSION = `${NEWEST_VERSION}.0`

export type ParsedVersion =
  { kind: 'supported'; version: string } | { kind: 'retired'; version: string } | { kind: 'unknown' }

/** 'v60.0' (or 'latest') → the version, whether it is retired, or unknown. Also takes '60.0' (SOAP paths). */
export function parseVersion(raw: string): ParsedVersion {
  if (raw === 'latest') return { kind: 'supported', version: LATEST_VERSION }
  const match = /^v?(\d{1,3})\.0$/.exec(raw)
  if (!match) return { kind: 'unknown' }
  const major = Number(match[1])
  const version = `${major}.0`
  if (major >= OLDEST_VERSION && major <= NEWEST_VERSION) return { kind: 'supported', version }
  if (major >= 7 && major < OLDEST_VERSION) return { kind: 'retired', version }
  return { kind: 'unknown' }
}

/** The path's version, or undefined after answering 410 (retired) or 404 (unknown). `minimum` for newer resources. */
export function versionOf(
  request: FastifyRequest,
  reply: FastifyReply,
  minimum = OLDEST_VERSION,
): string | undefined {
  const raw = (request.params as { version?: string }).version ?? ''
  const parsed: ParsedVersion =
    raw === 'latest' || raw.startsWith('v') ? parseVersion(raw) : { kind: 'unknown' }
  if (parsed.kind === 'retired') {
    sendError(reply, 410, 'GONE', `API version ${parsed.version} is retired and unavailable`)
    return undefined
  }
  if (parsed.kind === 'unknown' || Number(parsed.version) < minimum) {
    sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
    return undefined
  }
  return parsed.version
}

export function versionList(): Array<{ label: string; url: string; version: string }> {
  return API_VERSIONS.map((version) => ({
    label: releaseName(Number.parseInt(version, 10)),
    url: `/services/data/v${version}`,
    version,
  }))
}
