// The Pub/Sub emulator's control API over real gRPC: injected gap and overflow events, streams reset under their
// client, stored replay ids gone stale, Change Data Capture switched off and on, the delivery allocation, and a
// token revoked while its stream is open.
import { status } from '@grpc/grpc-js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { waitFor } from '../../server/testing/timing.js'
import { accessToken } from '../testing/access-token.js'
import { authFor, pubSubClient } from '../testing/pubsub-client.js'
import { startEmulator, type RunningEmulator } from '../start-emulator.js'

const TOPIC = '/data/OpportunityChangeEvent'
const P = 'sfdc.platform.eventbus.grpc'

describe('Pub/Sub emulator faults', () => {
  let emulator: RunningEmulator
  let client: ReturnType<typeof pubSubClient>
  let ids: string[]
  const touch = (id: string, amount: number) =>
    emulator.control('PATCH', `/records/Opportunity/${id}`, { values: { Amount: amount } })
  const live = async (numRequested = 10) => {
    const stream = client.subscribe({ topic_name: TOPIC, num_requested: numRequested })
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(0))
    return stream
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 10, seed: 3, pubSubKeepaliveMs: 200 })
    client = pubSubClient(emulator, authFor(emulator, await accessToken(emulator)))
    ids = [...emulator.org.records.allRecords('Opportunity')].map((r) => String(r['Id']))
  })
  beforeEach(() =>
    emulator.control('PATCH', '/pubsub/settings', {
      cdcEntities: ['Opportunity'],
      deliveryLimit: 10_000,
      resetDeliveries: true,
    }),
  )
  afterAll(async () => {
    client.close()
    await emulator.close()
  })

  it('delivers injected gap and overflow events as header-only events', async () => {
    const stream = await live()
    await emulator.control('POST', '/pubsub/gap', { changeType: 'GAP_UPDATE', recordIds: ids.slice(0, 2) })
    await emulator.control('POST', '/pubsub/overflow', {})
    await waitFor(() => expect(stream.events()).toHaveLength(2))
    const [gap, overflow] = await Promise.all(stream.events().map((e) => client.decode(e)))
    expect(gap?.['ChangeEventHeader']).toMatchObject({ changeType: 'GAP_UPDATE', recordIds: ids.slice(0, 2) })
    expect(gap).toMatchObject({ Name: null, Amount: null })
    expect(overflow?.['ChangeEventHeader']).toMatchObject({ changeType: 'GAP_OVERFLOW', recordIds: [] })
    stream.end()
  })

  it('resets streams; resuming after the last replay id loses nothing', async () => {
    const stream = await live()
    await touch(ids[0]!, 10)
    await waitFor(() => expect(stream.events()).toHaveLength(1))
    expect(await emulator.control('POST', '/pubsub/reset-streams', {})).toMatchObject({ closed: 1 })
    await waitFor(() => expect(stream.error?.code).toBe(status.UNAVAILABLE))
    expect(stream.error?.errorCode).toBe(`${P}.service.unavailable`)
    await touch(ids[0]!, 11)
    await touch(ids[0]!, 12)
    const resumed = client.subscribe({
      topic_name: TOPIC,
      replay_preset: 'CUSTOM',
      replay_id: stream.events()[0]!.replay_id,
      num_requested: 10,
    })
    await waitFor(() => expect(resumed.events()).toHaveLength(2))
    const amounts = await Promise.all(resumed.events().map(async (e) => (await client.decode(e))['Amount']))
    expect(amounts).toEqual([11, 12])
    resumed.end()
  })

  it('makes stored replay ids stale on demand', async () => {
    const stream = await live()
    await touch(ids[1]!, 20)
    await waitFor(() => expect(stream.events()).toHaveLength(1))
    stream.end()
    await emulator.control('POST', '/pubsub/expire-events', {})
    const stale = client.subscribe({
      topic_name: TOPIC,
      replay_preset: 'CUSTOM',
      replay_id: stream.events()[0]!.replay_id,
      num_requested: 1,
    })
    await waitFor(() => expect(stale.error?.errorCode).toBe(`${P}.subscription.fetch.replayid.corrupted`))
    const earliest = client.subscribe({ topic_name: TOPIC, replay_preset: 'EARLIEST', num_requested: 10 })
    await touch(ids[1]!, 21)
    await waitFor(() => expect(earliest.events()).toHaveLength(1))
    earliest.end()
  })

  it('publishes nothing for an entity with Change Data Capture off, and its topic is gone', async () => {
    const stream = await live()
    await emulator.control('PATCH', '/pubsub/settings', { cdcEntities: [] })
    await expect(client.getTopic(TOPIC)).rejects.toMatchObject({ code: status.NOT_FOUND })
    const before = emulator.pubSub.bus.latestReplayId
    await touch(ids[2]!, 30)
    expect(emulator.pubSub.bus.latestReplayId).toBe(before)
    await emulator.control('PATCH', '/pubsub/settings', { cdcEntities: ['Opportunity'] })
    await touch(ids[2]!, 31)
    await waitFor(() => expect(stream.events()).toHaveLength(1))
    expect((await client.decode(stream.events()[0]!))['Amount']).toBe(31)
    stream.end()
  })

  it('counts deliveries over 24 hours and disconnects past the allocation', async () => {
    await emulator.control('PATCH', '/pubsub/settings', { deliveryLimit: 2 })
    const stream = await live()
    for (const amount of [40, 41, 42]) await touch(ids[3]!, amount)
    await waitFor(() => expect(stream.error?.code).toBe(status.RESOURCE_EXHAUSTED))
    expect(stream.error?.errorCode).toBe(`${P}.subscription.limit.exceeded`)
    expect(stream.error?.details).toMatch(/^You have exceeded the event delivery limit for your org\./)
    expect(stream.events()).toHaveLength(2)
    expect(await emulator.control('GET', '/pubsub/state')).toMatchObject({ deliveredLast24h: 2 })
    await emulator.control.advanceClock(24 * 3_600_000 + 60_000)
    expect(await emulator.control('GET', '/pubsub/state')).toMatchObject({ deliveredLast24h: 0 })
  })

  it('ends a stream whose token is revoked with the auth error', async () => {
    const token = await accessToken(emulator)
    const own = pubSubClient(emulator, authFor(emulator, token))
    const stream = own.subscribe({ topic_name: TOPIC, num_requested: 5 })
    await waitFor(() => expect(stream.responses.length).toBeGreaterThan(0))
    await emulator.control('POST', '/tokens/revoke', { token })
    await waitFor(() => expect(stream.error?.code).toBe(status.UNAUTHENTICATED))
    expect(stream.error?.errorCode).toBe(`${P}.service.auth.error`)
    own.close()
  })
})
