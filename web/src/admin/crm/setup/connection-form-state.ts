import type {
  ApiConnection,
  AuthMethod,
  ConnectionSettings,
} from '../../../../../contracts/api/crm-connection.api.js'

export interface FormState {
  authMethod: AuthMethod
  webServicesUrl: string
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
  cacheLocally: boolean
}

export const authMethodLabels: Record<AuthMethod, string> = {
  password: 'Username, password and security token',
  client_credentials: 'Client credentials',
  authorization_code: 'Authorization code with PKCE (Connect with Salesforce)',
}

export function initialState(connection: ApiConnection | null): FormState {
  return {
    authMethod: connection?.authMethod ?? 'password',
    webServicesUrl: connection?.webServicesUrl ?? '',
    username: connection?.username ?? '',
    password: '',
    securityToken: '',
    consumerKey: connection?.consumerKey ?? '',
    consumerSecret: '',
    cacheLocally: connection?.cacheLocally ?? true,
  }
}

/** The request body: empty secrets are left out so the server keeps the stored ones. */
export function toSettings(form: FormState): ConnectionSettings {
  const secret = (value: string) => (value === '' ? undefined : value)
  const usesPassword = form.authMethod === 'password'
  return {
    provider: 'salesforce',
    authMethod: form.authMethod,
    webServicesUrl: form.webServicesUrl.trim(),
    username: usesPassword ? form.username.trim() || undefined : undefined,
    password: usesPassword ? secret(form.password) : undefined,
    securityToken: usesPassword ? secret(form.securityToken) : undefined,
    consumerKey: form.consumerKey.trim(),
    consumerSecret: secret(form.consumerSecret),
    cacheLocally: form.cacheLocally,
  }
}
