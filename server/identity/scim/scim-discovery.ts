// SCIM discovery (RFC 7644 §4): what this service provider supports (RFC 7643 §5), its resource types
// (§6) and schemas (§7). Okta's and Entra ID's connectors read these when they test the connection.
import type { FastifyInstance } from 'fastify'

import { scimError } from './scim-error.js'
import {
  describeSchemas,
  ENTERPRISE_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  USER_SCHEMA,
  type ScimJson,
} from './scim-schemas.js'

interface DiscoveryOptions {
  baseUrl(): string
  maxResults: number
  scimType: string
}

function serviceProviderConfig(baseUrl: string, maxResults: number): ScimJson {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A SCIM token created under Identity settings, sent as "Authorization: Bearer <token>".',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  }
}

function resourceTypes(baseUrl: string): ScimJson[] {
  const schemas = ['urn:ietf:params:scim:schemas:core:2.0:ResourceType']
  return [
    {
      schemas,
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Workspace users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas,
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Groups; the admin group of Identity settings makes its members network admins',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ]
}

function listOf(resources: ScimJson[]): ScimJson {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  }
}

export function discoveryRoutes(scim: FastifyInstance, options: DiscoveryOptions): void {
  scim.get('/ServiceProviderConfig', async (_request, reply) =>
    reply.type(options.scimType).send(serviceProviderConfig(options.baseUrl(), options.maxResults)),
  )
  scim.get('/ResourceTypes', async (_request, reply) =>
    reply.type(options.scimType).send(listOf(resourceTypes(options.baseUrl()))),
  )
  scim.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
    const found = resourceTypes(options.baseUrl()).find((type) => type['id'] === request.params.id)
    if (!found) throw scimError(404, null, `Resource type ${request.params.id} not found.`)
    return reply.type(options.scimType).send(found)
  })
  scim.get('/Schemas', async (_request, reply) =>
    reply.type(options.scimType).send(listOf(describeSchemas(options.baseUrl()))),
  )
  scim.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
    const found = describeSchemas(options.baseUrl()).find((schema) => schema['id'] === request.params.id)
    if (!found) throw scimError(404, null, `Schema ${request.params.id} not found.`)
    return reply.type(options.scimType).send(found)
  })
}
