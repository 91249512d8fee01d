// Identity: sign-in with the company's OpenID Provider and the SCIM provisioning tokens. The SCIM 2.0
// endpoints themselves (/scim/v2/...) speak RFC 7644, not this API's conventions, so they have no contract here.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

const ClaimName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_:.\-/]{1,100}$/, 'Use a claim name such as email or groups.')

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'Use a domain such as example.com.',
  )

export const OidcSettingsInputSchema = z.strictObject({
  enabled: z.boolean(),
  /** Shown on the login page as "Sign in with <displayName>". */
  displayName: z.string().trim().min(1, 'Enter the name shown on the login button.').max(60),
  issuer: z.url({ message: 'Enter the issuer URL, e.g. https://login.example.com.' }).max(500),
  clientId: z.string().trim().min(1, 'Enter the client id.').max(255),
  /** Write-only. Leave out to keep the stored one; required when issuer or client id change. */
  clientSecret: z.string().max(1000).optional(),
  scopes: z
    .string()
    .trim()
    .max(500)
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'Separate scopes with single spaces.')
    .refine((value) => value.split(' ').includes('openid'), 'The scopes must include openid.'),
  emailClaim: ClaimName,
  nameClaim: ClaimName,
  groupsClaim: ClaimName,
  /** Empty: every domain. Otherwise the email's domain must be one of these. */
  allowedDomains: z.array(Domain).max(50),
  /** Create an account at first sign-in for someone who has none (just-in-time provisioning). */
  jitEnabled: z.boolean(),
  /** Members of this group (groups claim or SCIM group) are network admins; null: roles are set here. */
  adminGroup: z.string().trim().min(1).max(200).nullable(),
  /** Refuse passwords for everyone except the break-glass admin. */
  ssoOnly: z.boolean(),
  breakGlassUserId: z.uuid('Choose an admin.').nullable(),
})
export type OidcSettingsInput = z.infer<typeof OidcSettingsInputSchema>

const OidcSettingsSchema = OidcSettingsInputSchema.omit({ clientSecret: true }).extend({
  hasClientSecret: z.boolean(),
  updatedAt: z.string(),
})

const SignInFailureSchema = z.object({
  at: z.string(),
  reason: z.string(),
  message: z.string(),
  hint: z.string(),
})
export type SignInFailure = z.infer<typeof SignInFailureSchema>

export const OidcSettingsViewSchema = z.object({
  settings: OidcSettingsSchema.nullable(),
  /** Register these at the identity provider. */
  redirectUri: z.string(),
  postLogoutRedirectUri: z.string(),
  /** Active admins who can sign in with a password: who may be the break-glass admin. */
  breakGlassCandidates: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  /** The latest refused sign-ins, newest first, with what to fix. */
  recentFailures: z.array(SignInFailureSchema),
})
export type OidcSettingsView = z.infer<typeof OidcSettingsViewSchema>

export const getOidcSettings = defineEndpoint({
  method: 'GET',
  path: '/api/admin/identity/oidc',
  access: 'admin',
  tag: 'identity',
  summary: 'OpenID Connect settings (never the client secret), the URIs to register, recent refused sign-ins',
  response: OidcSettingsViewSchema,
})

export const saveOidcSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/identity/oidc',
  access: 'admin',
  tag: 'identity',
  summary: "Save OpenID Connect settings; reads the issuer's discovery document first and refuses what fails",
  body: OidcSettingsInputSchema,
  response: OidcSettingsViewSchema,
})

export const SignInOptionsSchema = z.object({
  oidc: z.object({ displayName: z.string(), startUrl: z.string() }).nullable(),
  /** Passwords are refused except for the break-glass admin. */
  ssoOnly: z.boolean(),
})
export type SignInOptions = z.infer<typeof SignInOptionsSchema>

export const getSignInOptions = defineEndpoint({
  method: 'GET',
  path: '/api/auth/oidc',
  access: 'public',
  tag: 'auth',
  summary: 'How people sign in here: the identity provider button (if any) and whether passwords are refused',
  response: SignInOptionsSchema,
})

export const startOidcSignIn = defineEndpoint({
  method: 'GET',
  path: '/api/auth/oidc/start',
  access: 'public',
  tag: 'auth',
  summary: 'Redirects the browser to the identity provider (authorization code with PKCE)',
  query: z.object({ next: z.string().max(2000).optional() }),
})

export const completeOidcSignIn = defineEndpoint({
  method: 'GET',
  path: '/api/auth/oidc/callback',
  access: 'public',
  tag: 'auth',
  summary: 'Where the identity provider sends the browser back; checks the ID token, signs in, redirects',
  query: z.object({
    code: z.string().max(4000).optional(),
    state: z.string().max(500).optional(),
    iss: z.string().max(500).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  }),
})

export const oidcLogout = defineEndpoint({
  method: 'POST',
  path: '/api/auth/oidc/logout',
  access: 'user',
  tag: 'auth',
  summary:
    "Sign out; for a session opened with the identity provider, also the provider's logout URL to visit",
  response: z.object({ redirectUrl: z.string().nullable() }),
})

export const ScimTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export type ScimToken = z.infer<typeof ScimTokenSchema>

export const listScimTokens = defineEndpoint({
  method: 'GET',
  path: '/api/admin/identity/scim/tokens',
  access: 'admin',
  tag: 'identity',
  summary: 'SCIM base URL and bearer tokens (never the tokens themselves), with when each was last used',
  response: z.object({ baseUrl: z.string(), tokens: z.array(ScimTokenSchema) }),
})

export const createScimToken = defineEndpoint({
  method: 'POST',
  path: '/api/admin/identity/scim/tokens',
  access: 'admin',
  tag: 'identity',
  summary: 'Create a SCIM bearer token; the response is the only time it is shown',
  body: z.strictObject({ name: z.string().trim().min(1, 'Name the token, e.g. Okta.').max(100) }),
  response: z.object({ token: z.string(), scimToken: ScimTokenSchema }),
  successStatus: 201,
})

export const revokeScimToken = defineEndpoint({
  method: 'DELETE',
  path: '/api/admin/identity/scim/tokens/:id',
  access: 'admin',
  tag: 'identity',
  summary: 'Revoke a SCIM bearer token: it stops working at once',
  params: z.strictObject({ id: z.uuid('Not a valid token id.') }),
  response: z.object({ scimToken: ScimTokenSchema }),
})

/** Why a sign-in with the identity provider was refused: the callback redirects to /login?ssoError=<reason>. */
export const ssoFailureMessages = {
  not_configured: 'Sign-in with the identity provider is not set up here.',
  provider_error: 'The identity provider did not sign you in.',
  provider_unreachable: 'The identity provider could not be reached. Try again in a moment.',
  state_mismatch: 'This sign-in link expired or was started in another browser. Start again.',
  token_rejected: "The identity provider's answer failed its security checks. Your admin has the details.",
  domain_not_allowed: 'Accounts from your email domain cannot sign in here.',
  email_missing: 'The identity provider did not send your email address.',
  email_not_verified: 'Your email address is not verified at the identity provider.',
  no_account: 'You have no account here yet. Ask your network admin to add you.',
  already_linked: 'This account is already linked to another identity. Ask your network admin.',
  account_disabled: 'This account has been deactivated. Ask your network admin to reactivate it.',
} as const
export type SsoFailureReason = keyof typeof ssoFailureMessages
