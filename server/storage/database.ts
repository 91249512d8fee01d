// The database as Kysely sees it: one interface per table, composed here. Column names are snake_case,
// as in SQL; repositories map rows to camelCase domain objects.
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>

export interface UserTable {
  id: Generated<string>
  name: string
  email: string
  password_hash: string | null
  role: 'admin' | 'member'
  is_active: Generated<boolean>
  created_at: Timestamp
  updated_at: Timestamp
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface SessionTable {
  token_hash: string
  user_id: string
  csrf_token: string
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: RequiredTimestamp
  ip: string | null
  user_agent: string | null
}

export interface LoginFailureTable {
  id: Generated<number>
  scope: 'account' | 'address'
  key: string
  failed_at: Timestamp
}

export interface OneTimeTokenTable {
  token_hash: string
  purpose: 'first_run_setup' | 'password_reset'
  user_id: string | null
  expires_at: RequiredTimestamp
  created_at: Timestamp
}

export interface AuditEventTable {
  id: Generated<number>
  at: Timestamp
  actor_user_id: string | null
  action: string
  target_type: string | null
  target_id: string | null
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>
}

export interface ModuleSettingTable {
  id: string
  enabled: Generated<boolean>
  updated_at: Timestamp
}

export interface Database {
  users: UserTable
  sessions: SessionTable
  login_failures: LoginFailureTable
  one_time_tokens: OneTimeTokenTable
  audit_events: AuditEventTable
  module_settings: ModuleSettingTable
}
