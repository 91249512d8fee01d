// The emulator's Pub/Sub API over real gRPC + TLS, with a client built from the proto alone: topics, schemas,
// authentication errors, and Subscribe with every change type, the changedFields bitmap, flow control and replay.
import { status } from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../server/testing/timing.js'
import { accessToken } from '../testing/access-token.js'
import { authFor, pubSubClient } from '../testing/pubsub-client.js'
import { startEmulator, type RunningEmulator } from '../start-emulator.js'
import { decodeFieldBitmap } from './bitmap.js'

const TOPIC = '/data/OpportunityChangeEvent'
const V = 'v62.0'

describe('Pub/Sub API emulator', () => {
  let emulator: RunningEmulator
  let token: string
  let client: ReturnType<typeof pubSubClient>
  const rest = (method: string, path: string, body?: object, headers: Record<string, string> = {}) =>
    fetch(`${emulator.url}/services/data/${V}/sobjects/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const anOpportunityId = () => String([...emulator.org.records.allRecords('Opportunity')][0]?.['Id'])

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 20, seed: 7, pubSubKeepaliveMs: 300 })
    token = await accessToken(emulator)
    client = pubSubClient(emulator, authFor(emulator, token))
  })
  afterAll(async () => {
    client.close()
    await emulator.close()
  })

  it('describes the topic and hands out its Avro schema with the documented header', async () => {
    const topic = await client.getTopic(TOPIC)
    expect(topic).toMatchObject({ topic_name: TOPIC, tenant_guid: emulator.org.id, can_subscribe: true })
    const info = await client.getSchema(String(topic['schema_id']))
    expect(info.schema_id).toBe(topic['schema_id'])
    const schema = JSON.parse(info.schema_json) as { name: string; fields: { name: string; type: unknown }[] }
    expect(schema.name).toBe('OpportunityChangeEvent')
    expect(schema.fields[0]?.name).toBe('ChangeEventHeader')
    const names = schema.fields.map((f) => f.name)
    expect(names).toContain('StageName')
    for (const absent of ['Id', 'IsDeleted', 'SystemModstamp', 'ExpectedRevenue'])
      expect(names).not.toContain(absent)
    expect(await client.getTopic('/data/ChangeEvents')).toMatchObject({ topic_name: '/data/ChangeEvents' })
  })

  it('answers bad credentials and unknown names with gRPC statuses and Salesforce error codes', async () => {
    const cases = [
      { auth: { ...authFor(emulator, 'not-a-token') }, code: status.UNAUTHENTICATED },
      { auth: { ...authFor(emulator, token), tenantid: '00D000000000000AAA' }, code: status.UNAUTHENTICATED },
      { auth: { accesstoken: token }, code: status.UNAUTHENTICATED },
    ]
    for (const { auth, code } of cases) {
      const other = pubSubClient(emulator, auth)
      const error = (await other.getTopic(TOPIC).catch((e: unknown) => e)) as {
        code: number
        details: string
        metadata: { get(key: string): unknown[] }
      }
      other.close()
      expect(error.code).toBe(code)
      expect(String(error.metadata.get('error-code')[0])).toBe(
        'sfdc.platform.eventbus.grpc.service.auth.error',
      )
      expect(error.details).toMatch(/rpcId: [\w-]+$/)
      expect(error.metadata.get('rpc-id')).toHaveLength(1)
    }
    await expect(client.getTopic('/data/AccountChangeEvent')).rejects.toMatchObject({
      code: status.NOT_FOUND,
    })
    await expect(client.getSchema('nope')).rejects.toMatchObject({ code: status.NOT_FOUND })
    const stream = client.subscribe({ topic_name: '/data/NoSuchChangeEvent', num_requested: 1 })
    await waitFor(() => expect(stream.error?.code).toBe(status.NOT_FOUND))
  })

  it('delivers CREATE, UPDATE, DELETE and UNDELETE with only changed fields carrying values', async () => {
    const stream = client.subscribe({ topic_name: TOPIC, replay_preset: 'LATEST', num_requested: 10 })
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(0)) // keepalive: the stream is live
    const created = await rest('POST', 'Opportunity', {
      Name: 'CDC deal',
      StageName: 'Prospecting',
      CloseDate: '2026-12-24',
      Amount: 1000,
      NextStep: 'Call',
    })
    const { id } = (await created.json()) as { id: string }
    const clientId = 'crm-module'
    await rest(
      'PATCH',
      `Opportunity/${id}`,
      { StageName: 'Closed Won', NextStep: null },
      {
        'sforce-call-options': `client=${clientId}`,
      },
    )
    await rest('DELETE', `Opportunity/${id}`)
    await emulator.control('POST', `/records/Opportunity/${id}/undelete`)
    await waitFor(() => expect(stream.events()).toHaveLength(4))
    const decoded = await Promise.all(stream.events().map((e) => client.decode(e)))
    const headers = decoded.map((d) => d['ChangeEventHeader'] as Record<string, unknown>)
    expect(headers.map((h) => h['changeType'])).toEqual(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'])
    for (const h of headers) {
      expect(h).toMatchObject({
        entityName: 'Opportunity',
        recordIds: [id],
        commitUser: emulator.org.integrationUserId,
      })
      expect(typeof h['commitNumber']).toBe('bigint')
      expect(h['commitNumber'] as bigint).toBeGreaterThan(2n ** 53n)
      expect(h['transactionKey']).toMatch(/^[\w-]{36}$/)
      expect(h['sequenceNumber']).toBe(1)
    }
    const [create, update, remove, undelete] = decoded
    expect(create).toMatchObject({ Name: 'CDC deal', StageName: 'Prospecting', Amount: 1000, IsWon: false })
    expect(create?.['CloseDate']).toBe(Date.UTC(2026, 11, 24) / 86_400_000)
    expect(headers[0]?.['changedFields']).toEqual([])

    const schema = JSON.parse((await client.getSchema(stream.events()[1]!.event.schema_id)).schema_json) as {
      fields: { name: string }[]
    }
    const changed = decodeFieldBitmap((headers[1]?.['changedFields'] as string[])[0]!).map(
      (i) => schema.fields[i]?.name,
    )
    expect(changed.sort()).toEqual(
      [
        'StageName',
        'NextStep',
        'Probability',
        'IsClosed',
        'IsWon',
        'ForecastCategory',
        'ForecastCategoryName',
        'LastModifiedDate',
      ].sort(),
    )
    expect(headers[1]?.['changeOrigin']).toBe(`com/salesforce/api/rest/62.0;client=${clientId}`)
    const nulled = decodeFieldBitmap((headers[1]?.['nulledFields'] as string[])[0]!).map(
      (i) => schema.fields[i]?.name,
    )
    expect(nulled).toEqual(['NextStep'])
    expect(update).toMatchObject({
      StageName: 'Closed Won',
      IsWon: true,
      Probability: 100,
      Name: null,
      Amount: null,
    })
    expect(remove).toMatchObject({ Name: null, StageName: null })
    expect(undelete).toMatchObject({ Name: 'CDC deal', StageName: 'Closed Won' })
    stream.end()
  })

  it('gives the records of one sObject Collections call one transactionKey, numbered by sequenceNumber', async () => {
    const stream = client.subscribe({ topic_name: TOPIC, num_requested: 10 })
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(0))
    const ids = [...emulator.org.records.allRecords('Opportunity')].slice(2, 5).map((r) => String(r['Id']))
    const response = await fetch(`${emulator.url}/services/data/${V}/composite/sobjects`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: true,
        records: ids.map((id) => ({ attributes: { type: 'Opportunity' }, id, NextStep: 'Batch' })),
      }),
    })
    expect(response.status).toBe(200)
    await waitFor(() => expect(stream.events()).toHaveLength(3))
    const headers = await Promise.all(
      stream
        .events()
        .map(async (e) => (await client.decode(e))['ChangeEventHeader'] as Record<string, unknown>),
    )
    expect(new Set(headers.map((h) => h['transactionKey'])).size).toBe(1)
    expect(headers.map((h) => h['sequenceNumber'])).toEqual([1, 2, 3])
    expect(headers.map((h) => (h['recordIds'] as string[])[0])).toEqual(ids)
    stream.end()
  })

  it('sends no more than was requested, appends later requests, and keeps the stream alive when idle', async () => {
    const stream = client.subscribe({ topic_name: TOPIC, num_requested: 2 })
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(0))
    const id = anOpportunityId()
    for (const amount of [1, 2, 3])
      await emulator.control('PATCH', `/records/Opportunity/${id}`, { values: { Amount: amount } })
    await waitFor(() => expect(stream.events()).toHaveLength(2))
    const last = stream.responses.filter((r) => r.events.length > 0).at(-1)
    expect(last?.pending_num_requested).toBe(0)
    const idleBefore = stream.responses.length
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(idleBefore + 1)) // keepalives, no events
    expect(stream.events()).toHaveLength(2)
    stream.request(5)
    await waitFor(() => expect(stream.events()).toHaveLength(3))
    const third = await client.decode(stream.events()[2]!)
    expect(third['Amount']).toBe(3)
    stream.request(1, '/data/ChangeEvents')
    await waitFor(() => expect(stream.error?.code).toBe(status.INVALID_ARGUMENT))
  })

  it('replays from EARLIEST and after a replay id, and refuses replay ids it cannot resume from', async () => {
    const id = anOpportunityId()
    const live = client.subscribe({ topic_name: TOPIC, num_requested: 3 })
    await waitFor(() => expect(live.responses.length).toBeGreaterThan(0))
    for (const name of ['r1', 'r2', 'r3']) await rest('PATCH', `Opportunity/${id}`, { Name: name })
    await waitFor(() => expect(live.events()).toHaveLength(3))
    live.end()
    const [first] = live.events()
    const after = client.subscribe({
      topic_name: TOPIC,
      replay_preset: 'CUSTOM',
      replay_id: first!.replay_id,
      num_requested: 5,
    })
    await waitFor(() => expect(after.events()).toHaveLength(2))
    expect(await Promise.all(after.events().map(async (e) => (await client.decode(e))['Name']))).toEqual([
      'r2',
      'r3',
    ])
    after.end()
    const earliest = client.subscribe({ topic_name: TOPIC, replay_preset: 'EARLIEST', num_requested: 100 })
    await waitFor(() => expect(earliest.events().length).toBeGreaterThanOrEqual(10))
    earliest.end()

    const garbage = client.subscribe({
      topic_name: TOPIC,
      replay_preset: 'CUSTOM',
      replay_id: Buffer.from('x'),
      num_requested: 1,
    })
    await waitFor(() =>
      expect(garbage.error?.errorCode).toBe(
        'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed',
      ),
    )
    await emulator.control.advanceClock(73 * 3_600_000)
    const later = pubSubClient(emulator, authFor(emulator, await accessToken(emulator)))
    const stale = later.subscribe({
      topic_name: TOPIC,
      replay_preset: 'CUSTOM',
      replay_id: first!.replay_id,
      num_requested: 1,
    })
    await waitFor(() =>
      expect(stale.error?.errorCode).toBe(
        'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
      ),
    )
    expect(stale.error?.code).toBe(status.INVALID_ARGUMENT)
    later.close()
  })
})
