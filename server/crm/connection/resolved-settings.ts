// The Setup form plus the secrets already stored: what a test or a save actually uses. Secrets are
// write-only in the form, so an empty secret field means "keep the stored one", as long as the form names
// the origin and Consumer Key they were entered for (the caller passes none otherwise, with `reenter`).
import type { ConnectionSettings } from '../../../contracts/api/crm-connection.api.js'
import { AppError } from '../../errors.js'
import type { Grant, OAuthApp } from '../../providers/salesforce/oauth-client.js'

export interface StoredSecrets {
  password?: string
  securityToken?: string
  consumerSecret?: string
  refreshToken?: string
  accessToken?: string
}

export interface ResolvedSettings extends OAuthApp {
  authMethod: ConnectionSettings['authMethod']
  webServicesUrl: string
  username: string | undefined
  password: string | undefined
  securityToken: string | undefined
  refreshToken: string | undefined
}

const pick = (typed: string | undefined, stored: string | undefined) =>
  typed && typed.length > 0 ? typed : stored

export function resolveSettings(
  form: ConnectionSettings,
  stored: StoredSecrets | undefined,
  reenter?: string,
): ResolvedSettings {
  const webServicesUrl = form.webServicesUrl.replace(/\/+$/, '')
  const resolved: ResolvedSettings = {
    authMethod: form.authMethod,
    webServicesUrl,
    loginUrl: webServicesUrl,
    consumerKey: form.consumerKey,
    consumerSecret: pick(form.consumerSecret, stored?.consumerSecret) ?? '',
    username: form.username || undefined,
    password: pick(form.password, stored?.password),
    securityToken: pick(form.securityToken, stored?.securityToken),
    refreshToken: stored?.refreshToken,
  }
  const missing: Record<string, string> = {}
  if (!resolved.consumerSecret) missing['consumerSecret'] = 'Enter the Consumer Secret.'
  if (form.authMethod === 'password') {
    if (!resolved.username) missing['username'] = "Enter the integration user's username."
    if (!resolved.password) missing['password'] = 'Enter the password.'
  }
  if (form.authMethod === 'authorization_code' && !resolved.refreshToken) {
    missing['authMethod'] = 'Use "Connect with Salesforce" to approve access first.'
  }
  if (Object.keys(missing).length > 0) {
    const why = reenter ? ` ${reenter}` : ''
    for (const field of Object.keys(missing)) missing[field] = `${missing[field]}${why}`
    throw new AppError(
      'VALIDATION_FAILED',
      `Some fields are not valid: ${Object.keys(missing).join(', ')}.${why}`,
      missing,
    )
  }
  return resolved
}

export function grantFor(settings: ResolvedSettings): Grant {
  switch (settings.authMethod) {
    case 'password':
      // A trusted IP range in the org makes the security token unnecessary, so it may be empty.
      return {
        type: 'password',
        username: settings.username ?? '',
        password: settings.password ?? '',
        securityToken: settings.securityToken ?? '',
      }
    case 'client_credentials':
      return { type: 'client_credentials' }
    case 'authorization_code':
      return { type: 'refresh_token', refreshToken: settings.refreshToken ?? '' }
  }
}

/**
 * What is worth keeping for each method: never more than re-authentication needs. Where a flow gives a
 * refresh token, the module keeps it and not the password.
 */
export function secretsToStore(
  settings: ResolvedSettings,
  refreshToken: string | undefined,
  accessToken: string,
): StoredSecrets {
  switch (settings.authMethod) {
    case 'password':
      return {
        consumerSecret: settings.consumerSecret,
        password: settings.password ?? '',
        securityToken: settings.securityToken ?? '',
        accessToken,
      }
    case 'client_credentials':
      return { consumerSecret: settings.consumerSecret, accessToken }
    case 'authorization_code':
      return {
        consumerSecret: settings.consumerSecret,
        refreshToken: refreshToken ?? settings.refreshToken ?? '',
        accessToken,
      }
  }
}
