// The Sync Log's events name moments as data (issue 17 item 1): an incremental run's "changed since" comes as
// a dateTime part for the web to show in the reader's locale, the stored message keeps its ISO text, and
// events stored before the parts existed are read the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MessagePart } from '../../../contracts/api/message-parts.js'
import { lastRun, startSyncSetup, syncNow, type SyncSetup } from '../../testing/sync-fixture.js'

interface EventBody {
  message: string
  parts: MessagePart[]
}

describe('Sync Log moments as data', () => {
  let setup: SyncSetup
  const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

  const eventsOf = async (runId: number) => {
    const response = await setup.admin.request({ method: 'GET', url: `/api/admin/crm/sync/runs/${runId}` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ events: EventBody[] }>().events
  }

  beforeAll(async () => {
    setup = await startSyncSetup({ opportunities: 30, seed: 9 })
    expect(await syncNow(setup.t, setup.connectionId, 'initial')).toMatchObject({ status: 'succeeded' })
  })
  afterAll(() => setup.close())

  it('an incremental run’s "changed since" is a dateTime part, no ISO text in the other parts', async () => {
    expect(await syncNow(setup.t, setup.connectionId, 'manual')).toMatchObject({ status: 'succeeded' })
    const run = await lastRun(setup.t)
    const fetching = (await eventsOf(run.id)).find((event) => event.message.startsWith('Fetching'))!
    expect(fetching.message).toMatch(/changed since \d{4}-\d{2}-\d{2}T/)
    const moment = fetching.parts.find((part) => 'dateTime' in part)
    expect(moment && 'dateTime' in moment && new Date(moment.dateTime).getTime()).toBeGreaterThan(0)
    const text = fetching.parts.map((part) => ('text' in part ? part.text : '')).join('')
    expect(text).toMatch(/^Fetching \d+ opportunities changed since {2}\(REST\)\.$/)
    expect(text).not.toMatch(ISO)
    // Every other event of the run is text only, without ISO moments.
    for (const event of await eventsOf(run.id))
      for (const part of event.parts) if ('text' in part) expect(part.text).not.toMatch(ISO)
  })

  it('reads an event stored before the parts existed (its moment only in details.since)', async () => {
    const run = await lastRun(setup.t)
    const since = '2026-11-30T08:15:00.000Z'
    await setup.t.database.db
      .insertInto('crm_sync_events')
      .values({
        run_id: run.id,
        level: 'info',
        message: `Fetching 4 opportunities changed since ${since} (REST).`,
        details: JSON.stringify({ total: 4, method: 'rest', since }),
      })
      .execute()
    const old = (await eventsOf(run.id)).find((event) => event.message.includes(since))!
    expect(old.parts).toEqual([
      { text: 'Fetching 4 opportunities changed since ' },
      { dateTime: since },
      { text: ' (REST).' },
    ])
  })
})
