// Identity settings: what the admin enters for the OpenID Provider. The client secret is write-only, sealed
// with the master key and bound to the issuer and client id it was entered for: changing either needs the
// secret again, so a stored secret can never be sent to a different server.
import type { OidcSettingsInput, OidcSettingsView } from '../../../contracts/api/identity.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { discoverProvider, isAllowedIssuerUrl } from './oidc-client.js'
import {
  findOidcSettings,
  listBreakGlassCandidates,
  listRecentSignInFailures,
  upsertOidcSettings,
  type OidcSettingsRow,
} from './oidc.repository.js'
import { clientSecretContext } from './seal-contexts.js'

export const CALLBACK_PATH = '/api/auth/oidc/callback'
const RECENT_FAILURES = 10

export interface OidcSettings {
  enabled: boolean
  displayName: string
  issuer: string
  clientId: string
  clientSecret: string
  scopes: string
  emailClaim: string
  nameClaim: string
  groupsClaim: string
  allowedDomains: string[]
  jitEnabled: boolean
  adminGroup: string | null
  ssoOnly: boolean
  breakGlassUserId: string | null
}

export function redirectUri(deps: AppDeps): string {
  return `${deps.config.http.publicUrl}${CALLBACK_PATH}`
}

export function postLogoutRedirectUri(deps: AppDeps): string {
  return `${deps.config.http.publicUrl}/login`
}

/** Everything but the secret, as the admin sees it. */
function visibleSettings(row: OidcSettingsRow): Omit<OidcSettings, 'clientSecret'> {
  return {
    enabled: row.enabled,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: row.scopes,
    emailClaim: row.email_claim,
    nameClaim: row.name_claim,
    groupsClaim: row.groups_claim,
    allowedDomains: row.allowed_domains,
    jitEnabled: row.jit_enabled,
    adminGroup: row.admin_group,
    ssoOnly: row.sso_only,
    breakGlassUserId: row.break_glass_user_id,
  }
}

function openSettings(deps: AppDeps, row: OidcSettingsRow): OidcSettings {
  const clientSecret = deps.secrets.open(
    row.sealed_client_secret,
    clientSecretContext(row.issuer, row.client_id),
  )
  return { ...visibleSettings(row), clientSecret }
}

/** The settings when sign-in with the provider is turned on, with the secret opened; otherwise undefined. */
export async function enabledOidcSettings(deps: AppDeps): Promise<OidcSettings | undefined> {
  const row = await findOidcSettings(deps.db)
  return row?.enabled ? openSettings(deps, row) : undefined
}

export async function describeOidcSettings(deps: AppDeps): Promise<OidcSettingsView> {
  const row = await findOidcSettings(deps.db)
  const failures = await listRecentSignInFailures(deps.db, RECENT_FAILURES)
  return {
    settings: row
      ? { ...visibleSettings(row), hasClientSecret: true, updatedAt: row.updated_at.toISOString() }
      : null,
    redirectUri: redirectUri(deps),
    postLogoutRedirectUri: postLogoutRedirectUri(deps),
    breakGlassCandidates: await listBreakGlassCandidates(deps.db),
    recentFailures: failures.map(({ at, details }) => ({
      at: at.toISOString(),
      reason: typeof details['reason'] === 'string' ? details['reason'] : '',
      message: typeof details['detail'] === 'string' ? details['detail'] : '',
      hint: typeof details['hint'] === 'string' ? details['hint'] : '',
    })),
  }
}

export async function saveOidcSettings(
  deps: AppDeps,
  actorId: string,
  input: OidcSettingsInput,
): Promise<OidcSettingsView> {
  const existing = await findOidcSettings(deps.db)
  const issuer = input.issuer.trim()
  const problems: Record<string, string> = {}
  if (!isAllowedIssuerUrl(issuer))
    problems['issuer'] = 'Use an https URL (http only for a provider on this machine).'
  const isSameBinding = existing?.issuer === issuer && existing.client_id === input.clientId
  const typedSecret = input.clientSecret?.trim() ? input.clientSecret.trim() : undefined
  const clientSecret =
    typedSecret ?? (existing && isSameBinding ? openSettings(deps, existing).clientSecret : undefined)
  if (!clientSecret) {
    problems['clientSecret'] = existing
      ? 'Enter the client secret again: a stored secret is only sent to the issuer and client id it was entered for.'
      : 'Enter the client secret.'
  }
  if (input.ssoOnly && !input.enabled)
    problems['ssoOnly'] = 'Turn on sign-in with the identity provider before making it the only way in.'
  if (input.ssoOnly) {
    const candidates = await listBreakGlassCandidates(deps.db)
    if (!candidates.some((candidate) => candidate.id === input.breakGlassUserId)) {
      problems['breakGlassUserId'] =
        'Choose the break-glass admin: an active admin with a password, who can still sign in if the provider is down.'
    }
  }
  if (!clientSecret || Object.keys(problems).length > 0) throw invalidFields(problems)
  if (input.enabled) await assertDiscoverable({ issuer, clientId: input.clientId, clientSecret })

  const values = {
    enabled: input.enabled,
    display_name: input.displayName,
    issuer,
    client_id: input.clientId,
    sealed_client_secret: deps.secrets.seal(clientSecret, clientSecretContext(issuer, input.clientId)),
    scopes: input.scopes,
    email_claim: input.emailClaim,
    name_claim: input.nameClaim,
    groups_claim: input.groupsClaim,
    allowed_domains: [...new Set(input.allowedDomains)],
    jit_enabled: input.jitEnabled,
    admin_group: input.adminGroup,
    sso_only: input.ssoOnly,
    break_glass_user_id: input.breakGlassUserId,
    updated_at: deps.clock.now(),
    updated_by: actorId,
  }
  await deps.db.transaction().execute(async (trx) => {
    await upsertOidcSettings(trx, values)
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: existing ? 'identity.oidc.settings_updated' : 'identity.oidc.settings_created',
      targetType: 'identity_oidc_settings',
      details: {
        ...changedSettings(existing, values),
        clientSecretChanged: typedSecret !== undefined,
      },
    })
  })
  return describeOidcSettings(deps)
}

async function assertDiscoverable(credentials: {
  issuer: string
  clientId: string
  clientSecret: string
}): Promise<void> {
  try {
    const metadata = await discoverProvider(credentials, { fresh: true })
    const methods = metadata.code_challenge_methods_supported
    if (methods && !methods.includes('S256')) {
      throw new AppError('VALIDATION_FAILED', 'The provider does not support PKCE with S256.', {
        issuer: 'This provider does not offer PKCE (S256), which sign-in here requires.',
      })
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    const message = err instanceof Error ? err.message : String(err)
    throw new AppError('VALIDATION_FAILED', `The issuer's discovery document could not be read: ${message}`, {
      issuer: `No valid OpenID discovery document at ${credentials.issuer}/.well-known/openid-configuration (${message}). Check the issuer URL: it must match the provider's "issuer" exactly.`,
    })
  }
}

function invalidFields(problems: Record<string, string>): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    `Some fields are not valid: ${Object.keys(problems).join(', ')}.`,
    problems,
  )
}

const AUDITED = [
  'enabled',
  'display_name',
  'issuer',
  'client_id',
  'scopes',
  'email_claim',
  'name_claim',
  'groups_claim',
  'allowed_domains',
  'jit_enabled',
  'admin_group',
  'sso_only',
  'break_glass_user_id',
] as const

function changedSettings(
  before: OidcSettingsRow | undefined,
  after: Pick<OidcSettingsRow, (typeof AUDITED)[number]>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {}
  for (const key of AUDITED) {
    const from = before?.[key] ?? null
    const to = after[key]
    if (JSON.stringify(from) !== JSON.stringify(to)) changed[key] = { from, to }
  }
  return changed
}
