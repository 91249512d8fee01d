// Files uploaded but never attached to a post are removed by a pg-boss job once older than
// FEED_ORPHAN_FILE_HOURS; attached files and recent uploads stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  assignManually,
  makeConnection,
  makeOpportunity,
  setCrmModuleEnabled,
} from '../../testing/crm-factories.js'
import { buildTestApp, manualClock, testConfig, type Client, type TestApp } from '../../testing/test-app.js'
import { waitFor } from '../../testing/timing.js'
import { ORPHAN_FILES_QUEUE } from '../mail/mail-jobs.js'

describe('orphan file cleanup', () => {
  const clock = manualClock()
  let t: TestApp
  let member: Client
  let dealId = ''
  let memberEmail = ''

  const upload = async (name: string) => {
    const response = await member.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed/files?name=${name}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`content of ${name}`),
    })
    expect(response.statusCode).toBe(201)
    return response.json<{ file: { id: string } }>().file.id
  }
  const fileIds = async () =>
    (await t.database.db.selectFrom('crm_feed_files').select('id').execute()).map((row) => row.id).sort()

  beforeAll(async () => {
    t = await buildTestApp({ clock, config: testConfig({ FEED_ORPHAN_FILE_HOURS: '24' }), jobs: {} })
    const db = t.database.db
    const user = await t.createUser()
    dealId = (await makeOpportunity(db, (await makeConnection(db)).id)).id
    await assignManually(db, user.id, [dealId])
    await setCrmModuleEnabled(db, true)
    memberEmail = user.email
    member = await t.signIn(user.email)
  })
  afterAll(() => t?.close())

  it('removes only unattached files older than the limit', async () => {
    const attached = await upload('kept.txt')
    const orphan = await upload('orphan.txt')
    const posted = await member.request({
      method: 'POST',
      url: `/api/crm/opportunities/${dealId}/feed`,
      payload: { body: 'With a file', fileIds: [attached] },
    })
    expect(posted.statusCode).toBe(201)
    clock.advance(25 * 3_600_000)
    member = await t.signIn(memberEmail)
    const recent = await upload('recent.txt')

    const boss = t.deps.jobs?.boss
    const jobId = (await boss?.send(ORPHAN_FILES_QUEUE, {})) ?? ''
    await waitFor(async () =>
      expect((await boss?.getJobById(ORPHAN_FILES_QUEUE, jobId))?.state).toBe('completed'),
    )
    expect(await fileIds()).toEqual([attached, recent].sort())
    expect(await fileIds()).not.toContain(orphan)
  })
})
