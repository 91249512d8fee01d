// A workspace user as a SCIM User resource (RFC 7643 §4.1) and back. The columns of users hold what the app
// uses (name, email, active); everything else the provider sent (name parts, title, phone numbers, the
// Enterprise extension...) is kept as sent and returned as sent, so the provider sees what it wrote.
import { scimError } from './scim-error.js'
import { ENTERPRISE_SCHEMA, USER_SCHEMA, type ScimJson } from './scim-schemas.js'
import type { ScimUserRow } from './scim-users.repository.js'

export interface UserInput {
  userName: string
  externalId: string | null
  /** Undefined: not sent, leave as it is (a PUT without active does not suspend anyone). */
  active: boolean | undefined
  email: string
  displayName: string
  attributes: ScimJson
}

// Attributes with their own column, or computed: never stored in `attributes`. password is never kept.
const NOT_STORED = new Set([
  'schemas',
  'id',
  'meta',
  'username',
  'externalid',
  'active',
  'displayname',
  'groups',
  'password',
])

export function toScimUser(
  row: ScimUserRow,
  groups: Array<{ id: string; displayName: string }>,
  baseUrl: string,
): ScimJson {
  const attributes = { ...row.attributes }
  const stored = Array.isArray(attributes['emails']) ? (attributes['emails'] as ScimJson[]) : []
  delete attributes['emails']
  const sentEmailIsCurrent = stored.some((email) => String(email['value']).toLowerCase() === row.email)
  return {
    schemas: [USER_SCHEMA, ...(attributes[ENTERPRISE_SCHEMA] ? [ENTERPRISE_SCHEMA] : [])],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    userName: row.user_name,
    ...attributes,
    displayName: row.name,
    active: row.is_active,
    emails: sentEmailIsCurrent ? stored : [{ value: row.email, type: 'work', primary: true }],
    groups: groups.map((group) => ({
      value: group.id,
      display: group.displayName,
      $ref: `${baseUrl}/Groups/${group.id}`,
    })),
    meta: {
      resourceType: 'User',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
    },
  }
}

/** Reads a validated User resource into what is stored. */
export function fromScimUser(resource: ScimJson): UserInput {
  const userName = typeof resource['userName'] === 'string' ? resource['userName'].trim() : ''
  if (!userName) throw scimError(400, 'invalidValue', 'userName is required and must not be empty.')
  const email = pickEmail(resource, userName)
  const attributes: ScimJson = {}
  for (const [key, value] of Object.entries(resource)) {
    if (!NOT_STORED.has(key.toLowerCase())) attributes[key] = value
  }
  const externalId =
    typeof resource['externalId'] === 'string' && resource['externalId'] ? resource['externalId'] : null
  return {
    userName,
    externalId,
    active: typeof resource['active'] === 'boolean' ? resource['active'] : undefined,
    email,
    displayName: displayNameOf(resource, userName),
    attributes,
  }
}

// The address the app uses: the primary email, else the work one, else the first; else the userName when it
// is an address (Okta and Entra ID default userName to the email or UPN).
function pickEmail(resource: ScimJson, userName: string): string {
  const emails = Array.isArray(resource['emails']) ? (resource['emails'] as ScimJson[]) : []
  const chosen =
    emails.find((email) => email['primary'] === true) ??
    emails.find((email) => String(email['type']).toLowerCase() === 'work') ??
    emails[0]
  const value = typeof chosen?.['value'] === 'string' ? chosen['value'].trim() : userName
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw scimError(
      400,
      'invalidValue',
      `emails: "${value}" is not an email address, and the user needs one.`,
    )
  }
  return value.toLowerCase()
}

function displayNameOf(resource: ScimJson, userName: string): string {
  const name = resource['name'] as ScimJson | undefined
  const parts = [name?.['givenName'], name?.['familyName']].filter((part) => typeof part === 'string' && part)
  const candidates = [resource['displayName'], name?.['formatted'], parts.join(' ')]
  const found = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '')
  return (found ?? userName).trim().slice(0, 200)
}
