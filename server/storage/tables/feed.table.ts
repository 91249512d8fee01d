// Kysely shapes of the feed tables (migration 2026_12_01_0600).
import type { ColumnType, Generated } from 'kysely'

import type { notificationKinds } from '../../../contracts/api/notifications.api.js'

import type { NullableTimestamp, RequiredTimestamp } from '../column-types.js'

export type WhoMayPost = 'members' | 'admins'

export interface CrmFeedPostTable {
  id: Generated<string>
  opportunity_id: string
  parent_id: string | null
  author_id: string | null
  kind: ColumnType<'post' | 'system', 'post' | 'system' | undefined, 'post' | 'system'>
  body: string
  body_html: string
  created_at: RequiredTimestamp
  edited_at: NullableTimestamp
  deleted_at: NullableTimestamp
  deleted_by: string | null
  activity_at: RequiredTimestamp
  /** System entries: the field and SystemModstamp of the change (unique per opportunity). */
  system_key: ColumnType<string | null, string | null | undefined, string | null>
  system_change: ColumnType<unknown, string | null | undefined, string | null>
}

export interface CrmFeedSettingsTable {
  id: ColumnType<'default', 'default' | undefined, never>
  who_may_post: ColumnType<WhoMayPost, WhoMayPost | undefined, WhoMayPost>
  tracked_fields: ColumnType<string[], string[] | undefined, string[]>
  who_may_add_members: ColumnType<WhoMayPost, WhoMayPost | undefined, WhoMayPost>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_by: string | null
}

/** An opportunity's own rules (migration 2026_12_06_d01); null follows the module default. */
export interface CrmFeedOpportunitySettingsTable {
  opportunity_id: string
  who_may_post: WhoMayPost | null
  who_may_add_members: WhoMayPost | null
  updated_at: RequiredTimestamp
  updated_by: string | null
}

export interface CrmFeedMentionTable {
  post_id: string
  user_id: string
}

export interface CrmFeedFileTable {
  id: Generated<string>
  opportunity_id: string
  post_id: string | null
  uploader_id: string | null
  file_name: string
  content_type: string
  size_bytes: number
  is_image: boolean
  content: Uint8Array
  created_at: RequiredTimestamp
}

export type NotificationKind = (typeof notificationKinds)[number]

export interface CrmNotificationTable {
  id: Generated<string>
  user_id: string
  kind: NotificationKind
  opportunity_id: string
  post_id: string | null
  actor_id: string | null
  created_at: RequiredTimestamp
  read_at: NullableTimestamp
  email_timing: ColumnType<'immediate' | 'digest' | null, 'immediate' | 'digest' | null | undefined, never>
  emailed_at: NullableTimestamp
  email_skipped: string | null
  email_attempts: ColumnType<number, number | undefined, number>
  email_error: string | null
  /** When email_error was written (migration 2026_12_08_m101). */
  email_error_at: NullableTimestamp
  /** Set by the sender before it talks to the SMTP server (the message is sent at most once). */
  email_claimed_at: NullableTimestamp
}

export interface CrmMailDigestTable {
  user_id: string
  day: string
  sent_at: NullableTimestamp
}

export interface CrmNotificationPreferenceTable {
  user_id: string
  kind: NotificationKind
  channel: 'in_app' | 'email' | 'off'
  timing: 'immediate' | 'digest'
}

/** When a person last opened an opportunity's feed (the lists' unread marker). */
export interface CrmFeedReadTable {
  user_id: string
  opportunity_id: string
  read_at: RequiredTimestamp
}

export interface FeedTables {
  crm_feed_reads: CrmFeedReadTable
  crm_notifications: CrmNotificationTable
  crm_notification_preferences: CrmNotificationPreferenceTable
  crm_mail_digests: CrmMailDigestTable
  crm_feed_mentions: CrmFeedMentionTable
  crm_feed_files: CrmFeedFileTable
  crm_feed_posts: CrmFeedPostTable
  crm_feed_settings: CrmFeedSettingsTable
  crm_feed_opportunity_settings: CrmFeedOpportunitySettingsTable
}
