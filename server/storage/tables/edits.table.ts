// Kysely shapes of the portal edit tables (migration 2026_12_01_0800).
import type { ColumnType, JSONColumnType } from 'kysely'

import type { RequiredTimestamp } from '../column-types.js'

export type WhoMayEdit = 'members' | 'admins'

export interface CrmEditSettingsTable {
  id: ColumnType<'default', 'default' | undefined, never>
  allow_edits: ColumnType<boolean, boolean | undefined, boolean>
  editable_fields: JSONColumnType<string[], string | undefined, string>
  who_may_edit: ColumnType<WhoMayEdit, WhoMayEdit | undefined, WhoMayEdit>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_by: string | null
}

export interface CrmEditAuditTable {
  id: ColumnType<string, never, never>
  opportunity_id: string
  user_id: string | null
  field: string
  before_value: ColumnType<unknown, string | null, string | null>
  after_value: ColumnType<unknown, string | null, string | null>
  created_at: RequiredTimestamp
}

export interface CrmEditRequestTable {
  user_id: string
  idempotency_key: string
  opportunity_id: string
  answer: ColumnType<unknown, string | null, string | null>
  created_at: RequiredTimestamp
}

export interface EditTables {
  crm_edit_settings: CrmEditSettingsTable
  crm_edit_audit: CrmEditAuditTable
  crm_edit_requests: CrmEditRequestTable
}
