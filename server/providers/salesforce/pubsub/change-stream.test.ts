// The connector's Pub/Sub client against the emulator over real gRPC + TLS: every change type with its changed
// fields decoded from the bitmaps, the module's own writes recognised by changeOrigin, flow control beyond one
// batch, a stream reset resumed from the last position without loss, a revoked token replaced by signing in
// again, a stale position, and Change Data Capture switched off.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { accessToken } from '../../../../emulator/testing/access-token.js'
import { startEmulator, type RunningEmulator } from '../../../../emulator/start-emulator.js'
import { waitFor } from '../../../testing/timing.js'
import type {
  ChangeBatch,
  ChangeEvent,
  ChangeStream,
  ChangeStreamAuth,
  ChangeStreamStatus,
} from '../../crm-provider.js'
import { createOutboundGuard } from '../outbound-guard.js'
import { createSalesforceProvider } from '../salesforce-provider.js'
import { decodeFieldBitmaps } from './field-bitmap.js'

describe('field bitmaps', () => {
  const schema = {
    names: ['ChangeEventHeader', 'Name', 'Amount', 'BillingAddress', 'StageName'],
    children: new Map([[3, ['Street', 'City', 'PostalCode']]]),
  }
  it('decodes top-level bits from the least significant one and compound children by position', () => {
    // 0x16 = bits 1, 2, 4; "3-0x05" = children 0 and 2 of the field at position 3.
    expect(decodeFieldBitmaps(['0x16', '3-0x05'], schema)).toEqual([
      'Name',
      'Amount',
      'StageName',
      'BillingAddress.Street',
      'BillingAddress.PostalCode',
    ])
    expect(decodeFieldBitmaps([], schema)).toEqual([])
  })
  it('refuses a bitmap that points past the schema', () => {
    expect(() => decodeFieldBitmaps(['0x40'], schema)).toThrow(/does not fit/)
    expect(() => decodeFieldBitmaps(['9-0x01'], schema)).toThrow(/does not fit/)
  })
})

describe('change stream against the emulator', () => {
  let emulator: RunningEmulator
  let auth: ChangeStreamAuth
  let ids: string[]
  let open: ChangeStream | undefined
  const provider = () =>
    createSalesforceProvider({
      guard: createOutboundGuard(['127.0.0.1:*']),
      apiVersion: '62.0',
      timeoutMs: 5000,
      pubSub: { address: emulator.pubSub.endpoint, caPem: emulator.pubSub.certificatePem },
    })
  const patch = (id: string, values: object) =>
    fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${auth.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(values),
    })
  const subscribe = (
    overrides: {
      position?: string
      reauthenticate?: () => Promise<ChangeStreamAuth>
      batchSize?: number
      idleTimeoutMs?: number
      /** The first batch with events waits for it before it counts as applied. */
      hold?: Promise<void>
    } = {},
  ) => {
    const batches: ChangeBatch[] = []
    const statuses: ChangeStreamStatus[] = []
    const lost: string[] = []
    open = provider().openChangeStream({
      auth,
      reauthenticate: overrides.reauthenticate ?? (async () => auth),
      position: overrides.position,
      batchSize: overrides.batchSize ?? 10,
      idleTimeoutMs: overrides.idleTimeoutMs ?? 10_000,
      onBatch: async (batch) => {
        if (overrides.hold && batch.events.length > 0 && !batches.some((b) => b.events.length > 0))
          await overrides.hold
        batches.push(batch)
      },
      onPositionLost: async (error) => void lost.push(error.kind),
      onStatus: (status) => statuses.push(status),
      backoff: { baseMs: 10, maxMs: 50 },
    })
    const events = (): ChangeEvent[] => batches.flatMap((b) => b.events)
    return { batches, statuses, lost, events, position: () => batches.at(-1)?.position }
  }
  /** Subscribed once the first keepalive arrived (LATEST starts at the tip from then on). */
  const live = async (overrides: Parameters<typeof subscribe>[0] = {}) => {
    const s = subscribe(overrides)
    await waitFor(() => expect(s.batches.length).toBeGreaterThan(0))
    return s
  }

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 10, seed: 5, pubSubKeepaliveMs: 150 })
    auth = { accessToken: await accessToken(emulator), instanceUrl: emulator.url, orgId: emulator.org.id }
    ids = [...emulator.org.records.allRecords('Opportunity')].map((r) => String(r['Id']))
  })
  beforeEach(async () => {
    await open?.close()
    open = undefined
    await emulator.control('PATCH', '/pubsub/settings', {
      cdcEntities: ['Opportunity'],
      resetDeliveries: true,
    })
  })
  afterAll(async () => {
    await open?.close()
    await emulator.close()
  })

  it('checks the topic and says how to enable Change Data Capture when it is off', async () => {
    await expect(provider().checkChangeEvents(auth)).resolves.toBeUndefined()
    await emulator.control('PATCH', '/pubsub/settings', { cdcEntities: [] })
    await expect(provider().checkChangeEvents(auth)).rejects.toMatchObject({
      kind: 'cdc_disabled',
      hint: expect.stringMatching(/Setup > Integrations > Change Data Capture/),
    })
  })

  it('delivers updates with their changed fields, and recognises the module own writes', async () => {
    const s = await live()
    expect((await patch(ids[0]!, { StageName: 'Closed Won', Amount: 5 })).status).toBe(204)
    // The module's own write-back, through its CRM session.
    const session = provider().openSession(auth, { reauthenticate: () => Promise.reject(new Error('no')) })
    await session.updateOpportunity({ id: ids[1]!, values: { NextStep: 'call' } })
    await waitFor(() => expect(s.events()).toHaveLength(2))
    const [foreign, own] = s.events()
    expect(foreign).toMatchObject({ changeType: 'UPDATE', recordIds: [ids[0]], ownChange: false })
    expect(foreign?.changedFields).toEqual(expect.arrayContaining(['StageName', 'Amount']))
    expect(own).toMatchObject({ changeType: 'UPDATE', recordIds: [ids[1]], ownChange: true })
    expect(s.statuses.some((x) => x.state === 'connected')).toBe(true)
  })

  it('delivers create, delete, undelete and gap events, more than one batch of them', async () => {
    const s = await live({ batchSize: 2 })
    const created = (await emulator.control('POST', '/records/Opportunity', {
      Name: 'New deal',
      StageName: 'Prospecting',
      CloseDate: '2027-01-01',
    })) as { id: string }
    const deleted = await fetch(`${emulator.url}/services/data/v62.0/sobjects/Opportunity/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${auth.accessToken}` },
    })
    expect(deleted.status).toBe(204)
    await emulator.control('POST', `/records/Opportunity/${created.id}/undelete`)
    await emulator.control('POST', '/pubsub/gap', { changeType: 'GAP_UPDATE', recordIds: ids.slice(2, 4) })
    await emulator.control('POST', '/pubsub/overflow', {})
    await waitFor(() => expect(s.events().length).toBeGreaterThanOrEqual(5))
    expect(s.events().map((e) => e.changeType)).toEqual([
      'CREATE',
      'DELETE',
      'UNDELETE',
      'GAP_UPDATE',
      'GAP_OVERFLOW',
    ])
    expect(s.events()[0]?.recordIds).toEqual([created.id])
    expect(s.events()[3]?.recordIds).toEqual(ids.slice(2, 4))
  })

  it('keeps receiving while a batch is applied and applies what came meanwhile as one batch', async () => {
    let release = () => {}
    const s = await live({ batchSize: 2, hold: new Promise<void>((resolve) => (release = resolve)) })
    for (const id of ids.slice(0, 6)) expect((await patch(id, { Amount: 7 })).status).toBe(204)
    // The first batch is still being applied, yet the stream asked for more than batchSize meanwhile.
    const delivered = async () =>
      ((await emulator.control('GET', '/pubsub/state')) as { deliveredLast24h: number }).deliveredLast24h
    await waitFor(async () => expect(await delivered()).toBeGreaterThanOrEqual(6))
    expect(s.events()).toHaveLength(0)
    release()
    await waitFor(() => expect(s.events()).toHaveLength(6))
    expect(s.events().map((e) => e.recordIds[0])).toEqual(ids.slice(0, 6))
    const withEvents = s.batches.filter((b) => b.events.length > 0)
    expect(Math.max(...withEvents.map((b) => b.events.length))).toBeGreaterThan(2)
  })

  it('resumes after a reset from the last position without losing or repeating an event', async () => {
    const s = await live()
    await patch(ids[0]!, { Amount: 1 })
    await waitFor(() => expect(s.events()).toHaveLength(1))
    await emulator.control('POST', '/pubsub/reset-streams', { kind: 'unavailable' })
    await patch(ids[0]!, { Amount: 2 })
    await patch(ids[1]!, { Amount: 3 })
    await waitFor(() => expect(s.events()).toHaveLength(3))
    expect(s.statuses.some((x) => x.state === 'error' && x.error.kind === 'unreachable')).toBe(true)
    await open?.close()
    // A new stream from the stored position sees only what came after it.
    const position = s.position()
    await patch(ids[2]!, { Amount: 4 })
    const next = subscribe({ ...(position ? { position } : {}) })
    await waitFor(() => expect(next.events()).toHaveLength(1))
    expect(next.events()[0]?.recordIds).toEqual([ids[2]])
  })

  it('signs in again when the token is revoked mid-stream', async () => {
    let fresh = 0
    const s = await live({
      reauthenticate: async () => {
        auth = { ...auth, accessToken: await accessToken(emulator) }
        fresh += 1
        return auth
      },
    })
    await emulator.control('POST', '/tokens/revoke', { token: auth.accessToken })
    await waitFor(() => expect(fresh).toBeGreaterThan(0))
    expect((await patch(ids[3]!, { Amount: 9 })).status).toBe(204)
    await waitFor(() => expect(s.events().some((e) => e.recordIds[0] === ids[3])).toBe(true))
  })

  it('starts from the newest change when the stored position is past retention', async () => {
    const first = await live()
    await patch(ids[4]!, { Amount: 11 })
    await waitFor(() => expect(first.events()).toHaveLength(1))
    await open?.close()
    await emulator.control('POST', '/pubsub/expire-events', {})
    const s = subscribe({ position: first.position() ?? '' })
    await waitFor(() => expect(s.lost).toEqual(['replay_stale']))
    await waitFor(() => expect(s.batches.length).toBeGreaterThan(0))
    await patch(ids[4]!, { Amount: 12 })
    await waitFor(() => expect(s.events()).toHaveLength(1))
  })

  it('reopens a stream that goes silent, from its last position', async () => {
    const first = await live()
    await open?.close()
    await emulator.control('PATCH', '/pubsub/settings', { keepaliveMs: 60_000 })
    try {
      const s = subscribe({ idleTimeoutMs: 300, position: first.position() ?? '' })
      await waitFor(() =>
        expect(s.statuses.some((x) => x.state === 'error' && x.error.kind === 'timeout')).toBe(true),
      )
      await patch(ids[5]!, { Amount: 13 })
      await waitFor(() => expect(s.events().some((e) => e.recordIds[0] === ids[5])).toBe(true))
    } finally {
      await emulator.control('PATCH', '/pubsub/settings', { keepaliveMs: 150 })
    }
  })
})
