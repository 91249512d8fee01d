// Kysely shapes of the identity tables (migration 2026_12_01_0300).
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { NullableTimestamp, RequiredTimestamp, Timestamp } from '../column-types.js'

export interface IdentityOidcSettingsTable {
  id: ColumnType<'default', 'default' | undefined, never>
  enabled: Generated<boolean>
  display_name: string
  issuer: string
  client_id: string
  sealed_client_secret: string
  scopes: string
  email_claim: string
  name_claim: string
  groups_claim: string
  allowed_domains: ColumnType<string[], string[] | undefined, string[]>
  jit_enabled: Generated<boolean>
  admin_group: string | null
  sso_only: Generated<boolean>
  break_glass_user_id: string | null
  updated_at: Timestamp
  updated_by: string | null
}

export interface IdentityOidcPendingTable {
  state_hash: string
  sealed_request: string
  expires_at: RequiredTimestamp
}

export interface IdentityLinkTable {
  issuer: string
  subject: string
  user_id: string
  email_at_link: string
  linked_at: Timestamp
  last_sign_in_at: NullableTimestamp
}

export interface IdentityOidcSessionTable {
  session_token_hash: string
  sealed_id_token: string
  issuer: string
}

export interface ScimTokenTable {
  id: Generated<string>
  name: string
  token_hash: string
  created_at: Timestamp
  created_by: string | null
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface ScimUserTable {
  user_id: string
  user_name: string
  external_id: string | null
  attributes: JSONColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: NullableTimestamp
}

export interface ScimGroupTable {
  id: Generated<string>
  display_name: string
  external_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ScimGroupMemberTable {
  group_id: string
  user_id: string
}

export interface IdentityTables {
  identity_oidc_settings: IdentityOidcSettingsTable
  identity_oidc_pending: IdentityOidcPendingTable
  identity_links: IdentityLinkTable
  identity_oidc_sessions: IdentityOidcSessionTable
  scim_tokens: ScimTokenTable
  scim_users: ScimUserTable
  scim_groups: ScimGroupTable
  scim_group_members: ScimGroupMemberTable
}
