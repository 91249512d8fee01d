// The Salesforce emulator in this process plus the Setup form that connects to it, for CRM tests.
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
