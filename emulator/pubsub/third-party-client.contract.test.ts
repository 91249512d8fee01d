// An unmodified third-party Pub/Sub API client from npm, written against Salesforce's documentation and proto
// (salesforce-pubsub-api-client 5.5.2, https://github.com/pozil/pub-sub-api-node-client), against the emulator:
// it authenticates with the documented headers, subscribes, decodes the Avro events with its own library
// (avro-js) and expands the changedFields bitmap into field names itself.
import PubSubApiClient from 'salesforce-pubsub-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { waitFor } from '../../server/testing/timing.js'
import { accessToken } from '../testing/access-token.js'
import { startEmulator, type RunningEmulator } from '../start-emulator.js'

const quiet = { debug() {}, info() {}, warn() {}, error() {} }

describe('third-party Pub/Sub API client', () => {
  let emulator: RunningEmulator
  let client: PubSubApiClient

  beforeAll(async () => {
    emulator = await startEmulator({ opportunities: 5, seed: 9 })
    client = new PubSubApiClient(
      {
        authType: 'user-supplied',
        accessToken: await accessToken(emulator),
        // The client accepts https instance URLs only (as Salesforce's are); the emulator takes either scheme.
        instanceUrl: emulator.url.replace(/^http:/, 'https:'),
        organizationId: emulator.org.id,
        pubSubEndpoint: emulator.pubSub.endpoint,
        // The client trusts only its bundled CA list; the emulator's certificate is self-signed.
        rejectUnauthorizedSsl: false,
      },
      quiet,
    )
    await client.connect()
  })
  afterAll(async () => {
    // The emulator first: the client hears UNAVAILABLE on its open stream and reports it to the callback.
    await emulator.close()
    client.close()
  })

  it('authenticates, subscribes and decodes every change type with changed field names', async () => {
    const received: { replayId: unknown; payload: Record<string, unknown> }[] = []
    client.subscribe(
      '/data/OpportunityChangeEvent',
      (_subscription, callbackType, data) => {
        if (callbackType === 'event') received.push(data as (typeof received)[number])
      },
      10,
    )
    const id = String([...emulator.org.records.allRecords('Opportunity')][0]?.['Id'])
    let attempt = 0
    // Subscribe returns before the stream is live (LATEST): change until the client sees a change.
    await waitFor(async () => {
      attempt += 1
      await emulator.control('PATCH', `/records/Opportunity/${id}`, {
        values: { NextStep: `Demo ${attempt}` },
      })
      expect(received.length).toBeGreaterThan(0)
    })
    const created = (await emulator.control('POST', '/records/Opportunity', {
      Name: 'Third party',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
    })) as { id: string }
    await emulator.control('POST', `/records/Opportunity/${created.id}/delete`)
    await emulator.control('POST', `/records/Opportunity/${created.id}/undelete`)
    await emulator.control('POST', '/pubsub/gap', { recordIds: [id] })
    await waitFor(() =>
      expect(
        received.map((e) => (e.payload['ChangeEventHeader'] as { changeType: string }).changeType),
      ).toEqual(expect.arrayContaining(['UPDATE', 'CREATE', 'DELETE', 'UNDELETE', 'GAP_UPDATE'])),
    )
    const update = received[0]!
    const header = update.payload['ChangeEventHeader'] as Record<string, unknown>
    expect(header).toMatchObject({ entityName: 'Opportunity', recordIds: [id] })
    expect(header['changedFields']).toEqual(expect.arrayContaining(['NextStep', 'LastModifiedDate']))
    expect(update.payload['NextStep']).toMatch(/^Demo \d+$/)
    expect(update.payload['Name']).toBeNull()
    expect(typeof update.replayId).toBe('number')
    const create = received.find(
      (e) => (e.payload['ChangeEventHeader'] as { changeType: string }).changeType === 'CREATE',
    )
    expect(create?.payload['Name']).toBe('Third party')
  })
})
