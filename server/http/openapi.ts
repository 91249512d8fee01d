// The OpenAPI 3.1 document is generated from the same endpoint contracts the router registers, so it
// cannot drift from what the server does. `x-access` states who may call each route.
import { z } from 'zod'

import type { Endpoint } from '../../contracts/api/endpoint.js'

type JsonObject = Record<string, unknown>

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject
  return rest
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonObject[] {
  if (!schema) return []
  const json = toJsonSchema(schema, 'input') as {
    properties?: Record<string, JsonObject>
    required?: string[]
  }
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }))
}

const accessText = {
  public: 'No sign-in needed.',
  user: 'Any signed-in user.',
  admin: 'Network admins only; members get 403.',
} as const

export function buildOpenApiDocument(endpoints: readonly Endpoint[], serverUrl: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {}
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    const status = String(endpoint.successStatus ?? 200)
    paths[path] ??= {}
    paths[path][endpoint.method.toLowerCase()] = {
      summary: endpoint.summary,
      description: accessText[endpoint.access],
      tags: [endpoint.tag],
      'x-access': endpoint.access,
      security: endpoint.access === 'public' ? [] : [{ sessionCookie: [] }],
      parameters: [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query')],
      ...(endpoint.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(endpoint.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: endpoint.response
          ? {
              description: 'Success',
              content: { 'application/json': { schema: toJsonSchema(endpoint.response, 'output') } },
            }
          : { description: 'Success, no content' },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CRM module API',
      version: '1',
      description:
        'JSON API of the CRM module. Sign in with POST /api/auth/login; state-changing requests must send the ' +
        'X-CSRF-Token header returned by GET /api/auth/session.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: 'crm_session' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** A plain, dependency-free reference page for people; machines read /api/openapi.json. */
export function renderDocsPage(endpoints: readonly Endpoint[]): string {
  const rows = [...endpoints]
    .sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path))
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.tag)}</td><td><code>${e.method}</code></td><td><code>${escapeHtml(e.path)}</code></td>` +
        `<td>${e.access}</td><td>${escapeHtml(e.summary)}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CRM module API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;vertical-align:top}code{font-size:13px}</style>
</head><body><h1>CRM module API</h1>
<p>The machine-readable OpenAPI 3.1 document is at <a href="/api/openapi.json">/api/openapi.json</a>.
Errors always have the shape <code>{"error":{"code","message","fields"?}}</code>.
State-changing requests of a signed-in user must send the <code>X-CSRF-Token</code> header from <code>GET /api/auth/session</code>.</p>
<table><thead><tr><th>Area</th><th>Method</th><th>Path</th><th>Who may call</th><th>What it does</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`
}
