// The database as Kysely sees it: one interface per table, composed here. Column names are snake_case,
// as in SQL; repositories map rows to camelCase domain objects.
import type { ColumnType, Generated, JSONColumnType, Kysely } from 'kysely'

import type { connectionStatuses } from '../../contracts/api/crm-connection.api.js'
import type { syncStatuses, syncTriggers } from '../../contracts/api/sync.api.js'

import type { CrmAssignmentSettingsTable, CrmOpportunityMemberTable } from './tables/members.table.js'
import type { EditTables } from './tables/edits.table.js'
import type { FeedTables } from './tables/feed.table.js'
import type { IdentityTables } from './tables/identity.table.js'
import type { CrmUserConnectionTable } from './tables/user-links.table.js'
import type { CrmLinkRevocationTable } from './tables/link-revocations.table.js'
import type { CrmOpportunityStageTable } from './tables/opportunity-stages.table.js'
import type { NullableTimestamp, RequiredTimestamp, Timestamp } from './column-types.js'

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

export interface CrmConnectionTable {
  id: Generated<string>
  provider: 'salesforce'
  auth_method: 'password' | 'client_credentials' | 'authorization_code'
  login_url: string
  instance_url: string | null
  username: string | null
  consumer_key: string
  encrypted_secrets: string
  cache_locally: Generated<boolean>
  status: Generated<(typeof connectionStatuses)[number]>
  status_reason: string | null
  status_hint: string | null
  status_changed_at: Timestamp
  org_id: string | null
  integration_user_id: string | null
  sync_interval_minutes: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CrmOAuthPendingTable {
  state_hash: string
  sealed_request: string
  created_by: string | null
  expires_at: RequiredTimestamp
  /** connection: an admin's "Connect with Salesforce"; user_link: a user's "Connect my Salesforce account". */
  purpose: ColumnType<'connection' | 'user_link', 'connection' | 'user_link' | undefined, never>
}

export interface CrmOpportunityTable {
  id: string
  connection_id: string
  /** Null only in key index rows (cache off, see migration 0120). */
  name: string | null
  account_id: string | null
  account_name: string | null
  amount: number | null
  currency_iso_code: string | null
  close_date: string | null
  stage_name: string | null
  probability: number | null
  forecast_category_name: string | null
  type: string | null
  lead_source: string | null
  next_step: string | null
  description: string | null
  is_closed: Generated<boolean>
  is_won: Generated<boolean>
  owner_id: string | null
  owner_name: string | null
  owner_email: string | null
  created_date: ColumnType<Date | null, Date | string | null, Date | string | null>
  last_modified_date: ColumnType<Date | null, Date | string | null, Date | string | null>
  system_modstamp: RequiredTimestamp
  extra_fields: JSONColumnType<Record<string, unknown>, string | undefined, string>
  is_deleted: Generated<boolean>
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  synced_at: Timestamp
  /** Salesforce's LastModifiedById and LastModifiedBy.Name (migration 2026_12_04_0300); null in key index rows. */
  last_modified_by_id: ColumnType<string | null, string | null | undefined, string | null>
  last_modified_by_name: ColumnType<string | null, string | null | undefined, string | null>
}

export interface CrmSalesforceUserTable {
  id: string
  connection_id: string
  name: string | null
  email: string | null
  is_active: Generated<boolean>
  synced_at: Timestamp
}

export interface CrmOpportunityTeamMemberTable {
  id: string
  connection_id: string
  opportunity_id: string
  user_id: string
  team_member_role: string | null
  system_modstamp: ColumnType<Date | null, Date | string | null, Date | string | null>
  is_deleted: Generated<boolean>
}

export interface CrmSyncStateTable {
  connection_id: string
  high_water_modstamp: NullableTimestamp
  high_water_id: string | null
  deleted_checked_until: NullableTimestamp
  related_synced_until: NullableTimestamp
  last_full_sync_at: NullableTimestamp
  last_reconcile_at: NullableTimestamp
  last_success_at: NullableTimestamp
  next_run_at: NullableTimestamp
  paused_until: NullableTimestamp
  extra_fields: Generated<string[]>
  api_budget_run_percent: Generated<number>
  api_budget_day_percent: Generated<number>
  bulk_threshold: Generated<number>
  reconcile_every_hours: Generated<number>
  log_retention_days: Generated<number>
  hidden_fields: Generated<string[]>
  /** Where an unfinished Bulk API run stands (migration 0130); all null when none is pending. */
  bulk_job_id: string | null
  bulk_job_soql: string | null
  bulk_locator: string | null
  bulk_newest_modstamp: NullableTimestamp
  /** When the full pass under way began; null when none is unfinished (migration 2026_12_02_0721). */
  full_sync_started_at: NullableTimestamp
}

export type CdcStreamState = 'off' | 'connecting' | 'connected' | 'error'

export interface CrmCdcStreamTable {
  connection_id: string
  enabled: Generated<boolean>
  /** Hex of the last applied event's replay id (opaque to us). */
  replay_id: string | null
  state: Generated<CdcStreamState>
  state_at: NullableTimestamp
  heartbeat_at: NullableTimestamp
  last_event_at: NullableTimestamp
  last_commit_at: NullableTimestamp
  events_applied: Generated<number>
  sync_requested_at: NullableTimestamp
  last_error_code: string | null
  last_error_message: string | null
  last_error_hint: string | null
  last_error_at: NullableTimestamp
  /** host:pid of the process running the subscriber (the advisory lock decides; this only shows it). */
  holder: string | null
  /** The org's delivered-events allocation per 24 hours (REST Limits), read when the stream starts. */
  delivery_limit: number | null
}

/** Events per minute of our clock, for the Real-time panel (migration 2026_12_03_0101). */
export interface CrmCdcMinuteTable {
  connection_id: string
  minute: Timestamp
  delivered: Generated<number>
  applied: Generated<number>
  lag_ms_sum: Generated<number>
  lag_ms_max: Generated<number>
}

export interface CrmCdcEventTable {
  id: Generated<number>
  connection_id: string
  at: Timestamp
  level: 'info' | 'warning' | 'error'
  message: string
  hint: string | null
}

export type SyncTrigger = (typeof syncTriggers)[number]
export type SyncRunStatus = (typeof syncStatuses)[number]

export interface CrmSyncRunTable {
  id: Generated<number>
  connection_id: string
  trigger: SyncTrigger
  method: 'rest' | 'bulk' | null
  status: SyncRunStatus
  started_at: Timestamp
  finished_at: NullableTimestamp
  heartbeat_at: Timestamp
  records_total: number | null
  records_fetched: Generated<number>
  records_inserted: Generated<number>
  records_updated: Generated<number>
  records_deleted: Generated<number>
  records_unchanged: Generated<number>
  api_calls: Generated<number>
  api_remaining: number | null
  api_max: number | null
  error_code: string | null
  error_message: string | null
  error_hint: string | null
  worker: string | null
  /** The pg-boss job carrying the run (PostgreSQL mode); null by default. */
  job_id: Generated<string | null>
  /** The last page of opportunities the run committed (0 before the first), and when: its progress. */
  last_page: Generated<number>
  progress_at: NullableTimestamp
}

export interface CrmSyncEventTable {
  id: Generated<number>
  run_id: number
  at: Timestamp
  level: 'info' | 'warning' | 'error'
  message: string
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>
}

export interface CrmReconcileIdTable {
  run_id: number
  id: string
  system_modstamp: RequiredTimestamp
}

export interface Database extends IdentityTables, FeedTables, EditTables {
  users: UserTable
  sessions: SessionTable
  login_failures: LoginFailureTable
  one_time_tokens: OneTimeTokenTable
  audit_events: AuditEventTable
  module_settings: ModuleSettingTable
  crm_connections: CrmConnectionTable
  crm_oauth_pending: CrmOAuthPendingTable
  crm_user_connections: CrmUserConnectionTable
  crm_link_revocations: CrmLinkRevocationTable
  crm_opportunities: CrmOpportunityTable
  crm_salesforce_users: CrmSalesforceUserTable
  crm_opportunity_team_members: CrmOpportunityTeamMemberTable
  crm_sync_state: CrmSyncStateTable
  crm_cdc_streams: CrmCdcStreamTable
  crm_cdc_events: CrmCdcEventTable
  crm_cdc_minutes: CrmCdcMinuteTable
  crm_sync_runs: CrmSyncRunTable
  crm_sync_events: CrmSyncEventTable
  crm_reconcile_ids: CrmReconcileIdTable
  crm_opportunity_members: CrmOpportunityMemberTable
  crm_assignment_settings: CrmAssignmentSettingsTable
  crm_opportunity_stages: CrmOpportunityStageTable
}

/** The query layer over this schema: a connection or a transaction (same calls with `trx`). */
export type Db = Kysely<Database>
