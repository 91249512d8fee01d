import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const authMethods = ['password', 'client_credentials', 'authorization_code'] as const
export const AuthMethodSchema = z.enum(authMethods)
export type AuthMethod = z.infer<typeof AuthMethodSchema>

const optionalSecret = z.string().max(1000).optional()

/**
 * The Setup form. Secrets are write-only: leave one empty to keep the stored value.
 * Field names follow Salesforce's setup guide (Web Services URL = the org's My Domain URL).
 */
export const ConnectionSettingsSchema = z.strictObject({
  provider: z.literal('salesforce'),
  authMethod: AuthMethodSchema,
  webServicesUrl: z.string().trim().min(1, 'Enter the Web Services URL (your My Domain URL).').max(300),
  username: z.string().trim().max(200).optional(),
  password: optionalSecret,
  securityToken: optionalSecret,
  consumerKey: z.string().trim().min(1, 'Enter the Consumer Key.').max(300),
  consumerSecret: optionalSecret,
  cacheLocally: z.boolean(),
  syncIntervalMinutes: z
    .number()
    .int()
    .min(1, 'At least every minute.')
    .max(1440, 'At most once a day (1440).')
    .optional(),
})
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>

/**
 * Where stored secrets may be used: the origin (scheme, host, port) of the Web Services URL and the Consumer
 * Key they were entered for. A change of either means every secret must be entered again, so the stored
 * password, token and consumer secret are never sent to another host or another connected app.
 */
export function secretBindingOf(webServicesUrl: string, consumerKey: string): string | null {
  let origin: string
  try {
    origin = new URL(webServicesUrl.trim()).origin
  } catch {
    return null
  }
  return origin === 'null' ? null : `${origin} ${consumerKey.trim()}`
}

/** True when secrets stored for `saved` may be used with `form` (same origin, same Consumer Key). */
export function sameSecretBinding(
  saved: { webServicesUrl: string; consumerKey: string },
  form: { webServicesUrl: string; consumerKey: string },
): boolean {
  const binding = secretBindingOf(saved.webServicesUrl, saved.consumerKey)
  return binding !== null && binding === secretBindingOf(form.webServicesUrl, form.consumerKey)
}

export const checkStatuses = ['passed', 'warning', 'failed', 'skipped'] as const
export const ConnectionCheckSchema = z.object({
  id: z.enum([
    'url',
    'oauth',
    'identity',
    'api',
    'opportunity_access',
    'field_access',
    'record_count',
    'api_limits',
  ]),
  label: z.string(),
  status: z.enum(checkStatuses),
  message: z.string(),
  hint: z.string().nullable(),
})
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>

export const ConnectionTestReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(ConnectionCheckSchema),
  durationMs: z.number(),
})
export type ConnectionTestReport = z.infer<typeof ConnectionTestReportSchema>

export const connectionStatuses = ['healthy', 'needs_attention', 'disconnected'] as const

export const ApiConnectionSchema = z.object({
  id: z.string(),
  provider: z.literal('salesforce'),
  authMethod: AuthMethodSchema,
  webServicesUrl: z.string(),
  instanceUrl: z.string().nullable(),
  username: z.string().nullable(),
  consumerKey: z.string(),
  cacheLocally: z.boolean(),
  syncIntervalMinutes: z.number(),
  status: z.enum(connectionStatuses),
  statusReason: z.string().nullable(),
  statusHint: z.string().nullable(),
  statusChangedAt: z.string(),
  orgId: z.string().nullable(),
  /** Which secrets are stored (never their values). */
  storedSecrets: z.object({
    password: z.boolean(),
    securityToken: z.boolean(),
    consumerSecret: z.boolean(),
    refreshToken: z.boolean(),
  }),
  updatedAt: z.string(),
})
export type ApiConnection = z.infer<typeof ApiConnectionSchema>

export const getConnection = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/connection',
  access: 'admin',
  tag: 'crm-setup',
  summary: 'The CRM connection settings and health (secrets are reported as stored or not, never returned)',
  response: z.object({
    connection: ApiConnectionSchema.nullable(),
    /** Where Salesforce returns the admin's "Connect with Salesforce". */
    oauthCallbackUrl: z.string(),
    /** Where Salesforce returns a member's "Connect my Salesforce account" (same connected app). */
    userLinkCallbackUrl: z.string(),
  }),
})

export const testConnection = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/connection/test',
  access: 'admin',
  tag: 'crm-setup',
  summary: 'Test Connection: real OAuth exchange and API calls, nothing saved; finishes within 15 s',
  body: ConnectionSettingsSchema,
  response: ConnectionTestReportSchema,
})

export const saveConnection = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/connection',
  access: 'admin',
  tag: 'crm-setup',
  summary: 'Save Settings: tests again, then saves with secrets encrypted; saved=false when the test failed',
  body: ConnectionSettingsSchema,
  response: z.object({
    saved: z.boolean(),
    report: ConnectionTestReportSchema,
    connection: ApiConnectionSchema.nullable(),
  }),
})

export const startOAuthConnect = defineEndpoint({
  method: 'POST',
  path: '/api/admin/crm/connection/oauth/start',
  access: 'admin',
  tag: 'crm-setup',
  summary: '"Connect with Salesforce": returns the Salesforce approval URL (authorization code with PKCE)',
  body: ConnectionSettingsSchema,
  response: z.object({ authorizeUrl: z.string() }),
})

/** What Salesforce sends back to a redirect URI of the web server flow (a code or an error, and our state). */
export const OAuthCallbackQuerySchema = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
})

export const completeOAuthConnect = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/connection/oauth/callback',
  access: 'admin',
  tag: 'crm-setup',
  summary:
    'Where Salesforce sends the admin back; exchanges the code, keeps the refresh token, redirects to Setup',
  query: OAuthCallbackQuerySchema,
})

export const disconnect = defineEndpoint({
  method: 'DELETE',
  path: '/api/admin/crm/connection',
  access: 'admin',
  tag: 'crm-setup',
  summary: 'Disconnect: revoke the tokens at Salesforce and delete every stored secret',
  response: z.object({ revoked: z.boolean(), connection: ApiConnectionSchema.nullable() }),
})
