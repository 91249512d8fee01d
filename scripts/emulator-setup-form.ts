// What an admin types into Setup to connect to an emulator (username-password flow, cache on), for the scripts.
import type { ConnectionSettings } from '../contracts/api/crm-connection.api.js'
import type { EmulatorCredentials } from '../emulator/start-emulator.js'

export function emulatorSetupForm(url: string, c: EmulatorCredentials): ConnectionSettings {
  return {
    provider: 'salesforce',
    authMethod: 'password',
    webServicesUrl: url,
    username: c.username,
    password: c.password,
    securityToken: c.securityToken,
    consumerKey: c.consumerKey,
    consumerSecret: c.consumerSecret,
    cacheLocally: true,
  }
}
