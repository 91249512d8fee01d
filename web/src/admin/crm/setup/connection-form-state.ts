import {
  sameSecretBinding,
  type ApiConnection,
  type AuthMethod,
  type ConnectionSettings,
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

/**
 * The secrets the server will keep for this form: the stored ones only while the form names the origin and
 * Consumer Key they were entered for (the server refuses them elsewhere), otherwise none.
 */
export function reusableSecrets(
  connection: ApiConnection | null,
  form: FormState,
): { stored: ApiConnection['storedSecrets'] | undefined; mustReenter: boolean } {
  if (!connection || connection.status === 'disconnected') return { stored: undefined, mustReenter: false }
  const anyStored = Object.values(connection.storedSecrets).some(Boolean)
  if (sameSecretBinding(connection, form)) return { stored: connection.storedSecrets, mustReenter: false }
  return { stored: undefined, mustReenter: anyStored }
}

/**
 * What the chosen method needs and the form lacks, beside what the contract checks (the URL and the Consumer
 * Key): the secrets are optional in the contract only because a stored one may be kept, so an empty one is
 * missing when nothing usable is stored. The security token stays optional: a trusted IP range needs none.
 */
export function missingRequired(
  form: FormState,
  stored: ApiConnection['storedSecrets'] | undefined,
): Record<string, string> {
  const missing: Record<string, string> = {}
  if (form.authMethod === 'password') {
    if (form.username.trim() === '') missing['username'] = 'Enter the integration user’s username.'
    if (form.password === '' && !stored?.password) missing['password'] = 'Enter the password.'
  }
  if (form.consumerSecret === '' && !stored?.consumerSecret)
    missing['consumerSecret'] = 'Enter the Consumer Secret.'
  return missing
}
