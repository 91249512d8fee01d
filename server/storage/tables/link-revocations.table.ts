// Kysely shape of the users' Salesforce links waiting to be revoked (migration 2026_12_05_h1601).
import type { ColumnType, Generated } from 'kysely'

import type { NullableTimestamp, Timestamp } from '../column-types.js'

export type LinkRevocationReason = 'connection_disconnected' | 'user_deactivated'

export interface CrmLinkRevocationTable {
  id: Generated<string>
  user_id: string
  connection_id: string
  salesforce_user_id: string
  instance_url: string
  /** The link's sealed tokens as they were (bound to user and connection: userLinkContext). */
  encrypted_tokens: string
  reason: ColumnType<LinkRevocationReason, LinkRevocationReason, never>
  created_at: Timestamp
  /** When its pg-boss job was inserted; null while none exists (no job runtime in that process). */
  queued_at: NullableTimestamp
}
