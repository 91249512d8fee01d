import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { passwordSettings, startTestEmulator, type RunningEmulator } from '../../testing/emulator-fixture.js'
import { buildTestApp, testConfig, type Client, type TestApp } from '../../testing/test-app.js'

type Check = { id: string; status: string; message: string; hint: string | null }

describe('Module Settings > Setup against the emulator', () => {
  let emulator: RunningEmulator
  let t: TestApp
  let admin: Client
  beforeAll(async () => {
    emulator = await startTestEmulator()
    t = await buildTestApp({
      config: testConfig({ CRM_HTTP_TIMEOUT_MS: '2000' }),
      syncDispatcher: { dispatch: async () => undefined, stop: async () => undefined },
    })
    admin = await t.signIn((await t.createUser({ role: 'admin' })).email)
  })
  afterAll(async () => {
    await t.close()
    await emulator.close()
  })
  afterEach(async () => {
    await emulator.control('DELETE', '/faults')
    await emulator.control('PATCH', '/settings', {
      blockUsernamePasswordFlow: false,
      userApiEnabled: true,
      showFields: ['Opportunity.Amount', 'Opportunity.SystemModstamp'],
      appActiveAfterMs: -1,
    })
  })

  const test = async (overrides = {}) => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/test',
      payload: passwordSettings(emulator, overrides),
    })
    expect(response.statusCode).toBe(200)
    return response.json<{ ok: boolean; checks: Check[]; durationMs: number }>()
  }
  const check = (report: { checks: Check[] }, id: string) => report.checks.find((c) => c.id === id) as Check

  it('passes every check with the right credentials and saves nothing', async () => {
    const report = await test()
    expect(report.ok).toBe(true)
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['url', 'passed'],
      ['oauth', 'passed'],
      ['identity', 'passed'],
      ['api', 'passed'],
      ['opportunity_access', 'passed'],
      ['field_access', 'passed'],
      ['record_count', 'passed'],
      ['api_limits', 'passed'],
    ])
    expect(check(report, 'record_count').message).toMatch(/^30 opportunities/)
    expect(check(report, 'api_limits').message).toMatch(/requests left/)
    expect(await t.database.db.selectFrom('crm_connections').selectAll().execute()).toEqual([])
  })

  it('explains an authentication failure with both causes and where to look', async () => {
    const report = await test({ securityToken: 'WRONGTOKEN' })
    expect(report.ok).toBe(false)
    const oauth = check(report, 'oauth')
    expect(oauth.status).toBe('failed')
    expect(oauth.message).toMatch(/username, password or security token/)
    expect(oauth.hint).toMatch(/Allow OAuth Username-Password Flows/)
    expect(oauth.hint).toMatch(/Login History/)
    expect(check(report, 'identity').status).toBe('skipped')
  })

  it('gives the same advice when the org blocks the username-password flow', async () => {
    await emulator.control('PATCH', '/settings', { blockUsernamePasswordFlow: true })
    const report = await test()
    expect(check(report, 'oauth').hint).toMatch(/Summer '23/)
  })

  it('names an unknown consumer key and the 10-minute activation delay', async () => {
    const report = await test({ consumerKey: '3MVG9-unknown' })
    expect(check(report, 'oauth').message).toMatch(/does not know this Consumer Key/)
    expect(check(report, 'oauth').hint).toMatch(/up to 10 minutes/)
    await emulator.control('PATCH', '/settings', { appActiveAfterMs: 600_000 })
    expect(check(await test(), 'oauth').message).toMatch(/does not know this Consumer Key/)
  })

  it('names a wrong consumer secret', async () => {
    const report = await test({ consumerSecret: 'not-the-secret' })
    expect(check(report, 'oauth').message).toMatch(/Consumer Secret does not match/)
  })

  it('refuses URLs that are not https Salesforce hosts, and reports an unreachable one', async () => {
    expect(check(await test({ webServicesUrl: 'http://acme.my.salesforce.com' }), 'url').message).toMatch(
      /must start with https/,
    )
    expect(check(await test({ webServicesUrl: 'https://intranet.example.com' }), 'url').message).toMatch(
      /not a Salesforce host/,
    )
    expect(check(await test({ webServicesUrl: 'http://10.0.0.8' }), 'url').status).toBe('failed')
    expect(check(await test({ webServicesUrl: 'http://169.254.169.254' }), 'url').status).toBe('failed')
    const closed = await test({ webServicesUrl: 'http://127.0.0.1:1' })
    expect(check(closed, 'oauth').message).toMatch(/Could not reach 127\.0\.0\.1:1/)
  })

  it('reports an API-disabled user', async () => {
    await emulator.control('PATCH', '/settings', { userApiEnabled: false })
    const report = await test()
    expect(check(report, 'api').message).toMatch(/API is not enabled/)
    expect(check(report, 'api').hint).toMatch(/API Enabled/)
  })

  it('lists fields that field-level security hides, and fails when a key field is hidden', async () => {
    await emulator.control('PATCH', '/settings', { hideFields: ['Opportunity.Amount'] })
    const hidden = await test()
    expect(check(hidden, 'field_access')).toMatchObject({ status: 'warning' })
    expect(check(hidden, 'field_access').message).toMatch(/Amount/)
    expect(hidden.ok).toBe(true)
    await emulator.control('PATCH', '/settings', { hideFields: ['Opportunity.SystemModstamp'] })
    const blocked = await test()
    expect(check(blocked, 'field_access').status).toBe('failed')
    expect(blocked.ok).toBe(false)
  })

  it('gives up on a Salesforce that does not answer, without waiting for its answer', async () => {
    const tokenAnswers = () =>
      emulator.org.requestLog.filter((entry) => entry.path === '/services/oauth2/token').length
    const answeredBefore = tokenAnswers()
    // Held back far longer than the 2 s timeout; the emulator logs a request when it answers it.
    await emulator.control('POST', '/faults', {
      match: '/services/oauth2/token',
      kind: 'slow',
      delayMs: 20_000,
      times: 1,
    })
    const report = await test()
    expect(check(report, 'oauth').message).toMatch(/did not answer within 2 s/)
    expect(tokenAnswers()).toBe(answeredBefore)
  })

  it('names missing fields of the chosen method', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/admin/crm/connection/test',
      payload: passwordSettings(emulator, { username: '', password: '', consumerSecret: '' }),
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().error.fields).sort()).toEqual([
      'consumerSecret',
      'password',
      'username',
    ])
  })
})
