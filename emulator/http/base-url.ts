// The emulator's own origin as the client reached it. Salesforce builds instance_url, the identity URL and
// frontdoor links from the org's My Domain; the emulator uses the Host the request came to.
import type { FastifyRequest } from 'fastify'

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}
