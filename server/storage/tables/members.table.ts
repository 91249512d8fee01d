// Kysely shapes of the membership tables (migration 2026_11_28_0100).
import type { ColumnType } from 'kysely'

import type { NullableTimestamp } from '../column-types.js'

export interface CrmOpportunityMemberTable {
  user_id: string
  opportunity_id: string
  is_manual: ColumnType<boolean, boolean | undefined, boolean>
  manual_added_by: ColumnType<string | null, string | null | undefined, string | null>
  manual_added_at: NullableTimestamp
  via_owner_rule: ColumnType<boolean, boolean | undefined, boolean>
  via_team_rule: ColumnType<boolean, boolean | undefined, boolean>
  auto_added_at: NullableTimestamp
}

export interface CrmAssignmentSettingsTable {
  id: ColumnType<'default', 'default' | undefined, never>
  auto_assign: ColumnType<boolean, boolean | undefined, boolean>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_by: ColumnType<string | null, string | null | undefined, string | null>
}
