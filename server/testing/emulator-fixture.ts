// The Salesforce emulator in this process plus the Setup form that connects to it, for CRM tests.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { ConnectionSettings } from '../../contracts/api/crm-connection.api.js'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/start-emulator.js'

export type { RunningEmulator }

export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ opportunities: 30, seed: 7, ...options })
}

export function passwordSettings(
  emulator: RunningEmulator,
  overrides: Partial<ConnectionSettings> = {},
): ConnectionSettings {
  const c = emulator.credentials
  return {
    provider: 'salesforce',
    authMethod: 'password',
    webServicesUrl: emulator.url,
    username: c.username,
    password: c.password,
    securityToken: c.securityToken,
    consumerKey: c.consumerKey,
    consumerSecret: c.consumerSecret,
    cacheLocally: true,
    ...overrides,
  }
}

/**
 * Settings that point the server's Pub/Sub client at the emulator's gRPC server (its self-signed certificate
 * written to a temporary CA file), so no test ever dials the real api.pubsub.salesforce.com.
 */
export function pubSubSettings(emulator: RunningEmulator): {
  CRM_PUBSUB_ENDPOINT: string
  CRM_PUBSUB_CA_FILE: string
} {
  const caFile = join(mkdtempSync(join(tmpdir(), 'pubsub-ca-')), 'pubsub.pem')
  writeFileSync(caFile, emulator.pubSub.certificatePem)
  return { CRM_PUBSUB_ENDPOINT: emulator.pubSub.endpoint, CRM_PUBSUB_CA_FILE: caFile }
}
