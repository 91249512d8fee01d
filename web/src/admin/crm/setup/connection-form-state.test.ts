import { describe, expect, it } from 'vitest'

import {
  ConnectionSettingsSchema,
  type ApiConnection,
} from '../../../../../contracts/api/crm-connection.api.js'
import {
  initialState,
  missingRequired,
  reusableSecrets,
  toSettings,
  type FormState,
} from './connection-form-state.js'

const saved: ApiConnection = {
  id: 'c1',
  provider: 'salesforce',
  authMethod: 'password',
  webServicesUrl: 'https://acme.my.salesforce.com',
  instanceUrl: 'https://acme.my.salesforce.com',
  username: 'integration@acme.example',
  consumerKey: '3MVG9key',
  cacheLocally: false,
  syncIntervalMinutes: 60,
  status: 'healthy',
  statusReason: null,
  statusHint: null,
  statusChangedAt: '2026-12-01T10:00:00.000Z',
  orgId: '00D000000000001AAA',
  storedSecrets: { password: true, securityToken: true, consumerSecret: true, refreshToken: false },
  updatedAt: '2026-12-01T10:00:00.000Z',
}

const filled: FormState = {
  authMethod: 'password',
  webServicesUrl: '  https://acme.my.salesforce.com  ',
  username: ' integration@acme.example ',
  password: 'pw',
  securityToken: 'tok',
  consumerKey: ' 3MVG9key ',
  consumerSecret: 'secret',
  cacheLocally: true,
}

describe('the connection form state', () => {
  it('starts a new connection on the password flow with local caching on and nothing filled in', () => {
    expect(initialState(null)).toEqual({
      authMethod: 'password',
      webServicesUrl: '',
      username: '',
      password: '',
      securityToken: '',
      consumerKey: '',
      consumerSecret: '',
      cacheLocally: true,
    })
  })

  it('shows a saved connection’s settings but never its secrets, which the server never returns', () => {
    const form = initialState(saved)
    expect(form).toMatchObject({
      authMethod: 'password',
      webServicesUrl: saved.webServicesUrl,
      username: saved.username,
      consumerKey: saved.consumerKey,
      cacheLocally: false,
    })
    expect([form.password, form.securityToken, form.consumerSecret]).toEqual(['', '', ''])
  })

  it('sends trimmed values the server contract accepts', () => {
    const body = toSettings(filled)
    expect(ConnectionSettingsSchema.parse(body)).toEqual(body)
    expect(body).toMatchObject({
      webServicesUrl: 'https://acme.my.salesforce.com',
      username: 'integration@acme.example',
      consumerKey: '3MVG9key',
      password: 'pw',
      securityToken: 'tok',
      consumerSecret: 'secret',
    })
  })

  it('leaves empty secrets out so the stored ones are kept', () => {
    const body = toSettings({ ...initialState(saved), consumerSecret: '' })
    expect(body.password).toBeUndefined()
    expect(body.securityToken).toBeUndefined()
    expect(body.consumerSecret).toBeUndefined()
    expect(body.username).toBe(saved.username)
  })

  it('sends no username or password for the OAuth flows, even if typed before switching', () => {
    for (const authMethod of ['client_credentials', 'authorization_code'] as const) {
      const body = toSettings({ ...filled, authMethod })
      expect(body.username).toBeUndefined()
      expect(body.password).toBeUndefined()
      expect(body.securityToken).toBeUndefined()
      expect(body.consumerSecret).toBe('secret')
    }
  })

  it('offers the stored secrets only for the origin and Consumer Key they were entered for', () => {
    const same = initialState(saved)
    expect(reusableSecrets(saved, same)).toEqual({ stored: saved.storedSecrets, mustReenter: false })
    expect(
      reusableSecrets(saved, { ...same, webServicesUrl: 'https://acme.my.salesforce.com/' }).mustReenter,
    ).toBe(false)
    for (const changed of [
      { ...same, webServicesUrl: 'https://evil.example.com' },
      { ...same, webServicesUrl: 'https://acme.my.salesforce.com:8443' },
      { ...same, consumerKey: '3MVG9other' },
      { ...same, webServicesUrl: 'not a url' },
    ]) {
      expect(reusableSecrets(saved, changed)).toEqual({ stored: undefined, mustReenter: true })
    }
    expect(reusableSecrets(null, same)).toEqual({ stored: undefined, mustReenter: false })
    const disconnected = { ...saved, status: 'disconnected' as const }
    expect(reusableSecrets(disconnected, { ...same, consumerKey: 'x' }).mustReenter).toBe(false)
  })

  it('names every secret the method needs that is neither entered nor stored, all at once', () => {
    const empty = initialState(null)
    expect(Object.keys(missingRequired(empty, undefined)).sort()).toEqual([
      'consumerSecret',
      'password',
      'username',
    ])
    // The security token is optional (a trusted IP range needs none); stored secrets count as present.
    expect(missingRequired({ ...filled, securityToken: '' }, undefined)).toEqual({})
    expect(missingRequired({ ...filled, password: '', consumerSecret: '' }, saved.storedSecrets)).toEqual({})
    // Client credentials need no username or password, only the Consumer Secret.
    const clientCredentials = { ...empty, authMethod: 'client_credentials' as const }
    expect(Object.keys(missingRequired(clientCredentials, undefined))).toEqual(['consumerSecret'])
  })
})
