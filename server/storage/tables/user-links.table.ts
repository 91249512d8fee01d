// Kysely shape of the users' own Salesforce links (migration 2026_12_04_0100).
import type { ColumnType } from 'kysely'

import type { RequiredTimestamp } from '../column-types.js'

export type UserLinkStatus = 'connected' | 'needs_reconnect'

export interface CrmUserConnectionTable {
  user_id: string
  connection_id: string
  salesforce_user_id: string
  username: string | null
  display_name: string | null
  /** SecretBox-sealed JSON of the access and refresh tokens, bound to user and connection. */
  encrypted_tokens: string
  instance_url: string
  status: ColumnType<UserLinkStatus, UserLinkStatus | undefined, UserLinkStatus>
  status_reason: string | null
  connected_at: RequiredTimestamp
  updated_at: RequiredTimestamp
}
