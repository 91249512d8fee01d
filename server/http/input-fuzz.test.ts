// Walks the OpenAPI document and sends hostile values (server/testing/fuzz-inputs.ts) to every parameter of
// every route, path, query and each body field, as an anonymous caller, a member and an admin, with the CRM
// module on and synced data in the cache. No answer may be a 5xx; text with a NUL byte is a 400 that names the
// field. A new route or parameter is covered the moment it is added to a contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { assignManually, setCrmModuleEnabled } from '../testing/crm-factories.js'
import { pubSubSettings, startTestEmulator, type RunningEmulator } from '../testing/emulator-fixture.js'
import {
  containsNul,
  exampleFor,
  forgedCursors,
  hostileJsonValues,
  hostileNumberTexts,
  hostileStrings,
  sendAll,
  type FuzzCase,
  type JsonSchema,
} from '../testing/fuzz-inputs.js'
import { connectToEmulator, noSyncDispatcher, orgOpportunities, syncNow } from '../testing/sync-fixture.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../testing/test-app.js'
import { SLOW_TEST_TIMEOUT_MS } from '../testing/timing.js'

/** Parts the walk is split into (see the tests below). */
const PARTS = 4

interface Parameter {
  name: string
  in: 'path' | 'query'
  schema: JsonSchema
}
interface Operation {
  method: string
  path: string
  access: 'public' | 'user' | 'admin'
  parameters: Parameter[]
  body?: JsonSchema | undefined
}
interface Case extends FuzzCase {
  op: Operation
  where: string
}

function hostileFor(schema: JsonSchema): readonly string[] {
  return schema.type === 'integer' || schema.type === 'number'
    ? [...hostileNumberTexts, ...hostileStrings]
    : hostileStrings
}

/** Every request of the walk for one route: one hostile value at a time, the rest plausible. */
function casesFor(op: Operation): Case[] {
  const base = {
    params: Object.fromEntries(
      op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, String(exampleFor(p.schema, p.name))]),
    ),
    query: {} as Record<string, string>,
    body: op.body ? (exampleFor(op.body) as Record<string, unknown>) : undefined,
  }
  const build = (
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
  ): Case['request'] => {
    const path = op.path.replace(/\{([^}]+)\}/g, (_all, name: string) =>
      encodeURIComponent(params[name] ?? ''),
    )
    const search = new URLSearchParams(query).toString()
    return {
      method: op.method,
      url: search ? `${path}?${search}` : path,
      ...(body === undefined ? {} : { payload: body as object }),
    }
  }
  const cases: Case[] = []
  for (const parameter of op.parameters) {
    for (const value of hostileFor(parameter.schema)) {
      const request =
        parameter.in === 'path'
          ? build({ ...base.params, [parameter.name]: value }, base.query, base.body)
          : build(base.params, { ...base.query, [parameter.name]: value }, base.body)
      cases.push({
        op,
        label: `${op.method} ${op.path} ${parameter.in}.${parameter.name}`,
        where: `${parameter.in}.${parameter.name}`,
        request,
        hasNul: value.includes('\u0000'),
      })
    }
    // A forged cursor also goes with the sort it claims, so its key reaches the key checks.
    if (parameter.name !== 'cursor') continue
    for (const { sort, cursor } of forgedCursors) {
      const request = build(base.params, { ...base.query, sort, cursor }, base.body)
      cases.push({
        op,
        label: `${op.method} ${op.path} cursor`,
        where: 'query.cursor',
        request,
        hasNul: false,
      })
    }
  }
  for (const [field, schema] of Object.entries(op.body?.properties ?? {})) {
    const values = [...hostileFor(schema), ...hostileJsonValues]
    if (schema.type === 'array') values.push([...hostileStrings])
    for (const value of values) {
      const body = { ...base.body, [field]: value }
      cases.push({
        op,
        label: `${op.method} ${op.path} body.${field}`,
        where: `body.${field}`,
        request: build(base.params, base.query, body),
        hasNul: containsNul(value),
      })
    }
  }
  return cases
}

function errorFields(body: string): object {
  try {
    return (JSON.parse(body) as { error?: { fields?: object } }).error?.fields ?? {}
  } catch {
    return {}
  }
}

describe('hostile input on every route of the OpenAPI document', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let operations: Operation[]
  let callers: Record<'anonymous' | 'member' | 'admin', Client>

  beforeAll(async () => {
    emulator = await startTestEmulator()
    // Pub/Sub is the emulator's too (turning real-time on checks the stream), never the real
    // api.pubsub.salesforce.com, which this machine cannot reach.
    t = await buildTestApp({ syncDispatcher: noSyncDispatcher, config: testConfig(pubSubSettings(emulator)) })
    const admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
    const memberUser = await t.createUser({ role: 'member' })
    await setCrmModuleEnabled(t.database.db, true)
    await syncNow(t, await connectToEmulator(admin, emulator), 'initial')
    await assignManually(
      t.database.db,
      memberUser.id,
      orgOpportunities(emulator.org)
        .map((o) => o.id)
        .slice(0, 10),
    )
    callers = { anonymous: t.anonymous(), member: await t.signIn(memberUser.email), admin }
    const document = (await t.anonymous().request({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            'x-access': Operation['access']
            parameters: Parameter[]
            requestBody?: { content: Record<string, { schema: JsonSchema }> }
          }
        >
      >
    }>()
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-access'],
        parameters: op.parameters,
        body: op.requestBody?.content['application/json']?.schema,
      })),
    )
  }, SLOW_TEST_TIMEOUT_MS)
  afterAll(async () => {
    await t?.close()
    await emulator?.close()
  })

  it('walks more than 40 routes with more than 5,000 requests', () => {
    expect(operations.length).toBeGreaterThan(40)
    expect(operations.flatMap(casesFor).length * Object.keys(callers).length).toBeGreaterThan(5000)
  })

  // The walk grows with every route, so it runs in parts: each part's time limit bounds a fixed share of it
  // (about 2,000 requests today), not the whole walk, which under load took longer than one SLOW_TEST allows.
  for (let part = 0; part < PARTS; part++) {
    it(
      `answers no hostile value with a 5xx, and text with a NUL byte with a 400 naming the field (part ${part + 1} of ${PARTS})`,
      async () => {
        const mine = operations.filter((_, index) => index % PARTS === part)
        const { sent, failures, unnamed } = await sendAll(
          callers,
          mine.flatMap(casesFor),
          (role, c, response) => {
            const mayCall =
              c.op.access === 'public' || (c.op.access === 'user' ? role !== 'anonymous' : role === 'admin')
            if (!mayCall) return true
            const field = c.where.replace(/^(path|query|body)\./, '')
            const fields = Object.keys(errorFields(response.body))
            return response.statusCode === 400 && fields.some((name) => name.split('.')[0] === field)
          },
        )
        expect(sent).toBeGreaterThan(0)
        expect(failures).toEqual([])
        expect(unnamed).toEqual([])
      },
      SLOW_TEST_TIMEOUT_MS,
    )
  }
})
