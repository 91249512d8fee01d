// The app with an admin who created a SCIM token through the API, and a SCIM client that sends requests the
// way identity providers do: bearer token, application/scim+json bodies.
import type { LightMyRequestResponse } from 'fastify'

import { buildTestApp, type Client, type TestApp } from './test-app.js'

export interface ScimFixture {
  t: TestApp
  admin: Client
  token: string
  scim(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export async function startScimFixture(): Promise<ScimFixture> {
  const t = await buildTestApp()
  const adminUser = await t.createUser({ role: 'admin', email: 'it-admin@example.com', name: 'IT Admin' })
  const admin = await t.signIn(adminUser.email)
  const created = await admin.request({
    method: 'POST',
    url: '/api/admin/identity/scim/tokens',
    payload: { name: 'Identity provider' },
  })
  if (created.statusCode !== 201) throw new Error(`creating the SCIM token failed: ${created.body}`)
  const token = created.json<{ token: string }>().token
  return {
    t,
    admin,
    token,
    scim: (method, path, body) =>
      t.app.inject({
        method,
        url: `/scim/v2${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      }),
    close: () => t.close(),
  }
}
