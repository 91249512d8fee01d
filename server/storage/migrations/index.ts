// Every migration, in order. A static list (instead of reading a folder) works the same from source and
// from dist/, and a missing import is a compile error rather than a silently skipped migration.
import type { Migration } from 'kysely'

import * as createAccounts from './2026_11_28_0001_create_accounts.js'
import * as createCrmCache from './2026_11_28_0002_create_crm_cache.js'
import * as createSync from './2026_11_28_0003_create_sync.js'
import * as createOpportunityMembers from './2026_11_28_0100_create_opportunity_members.js'
import * as indexOpportunityLists from './2026_11_28_0101_index_opportunity_lists.js'
import * as notifyChanges from './2026_11_28_0110_notify_changes.js'
import * as keyIndexMode from './2026_11_28_0120_key_index_mode.js'
import * as bulkResume from './2026_11_28_0130_bulk_resume.js'
import * as createIdentity from './2026_12_01_0300_create_identity.js'
import * as createFeed from './2026_12_01_0600_create_feed.js'
import * as feedMentionsFiles from './2026_12_01_0601_feed_mentions_files.js'
import * as notifications from './2026_12_01_0602_notifications.js'
import * as createPortalEdits from './2026_12_01_0800_create_portal_edits.js'
import * as syncRunJob from './2026_12_01_0901_sync_run_job.js'
import * as sortNameUpper from './2026_12_02_0700_sort_name_upper.js'
import * as liveEvents from './2026_12_02_0701_live_events.js'
import * as syncRunProgress from './2026_12_02_0710_sync_run_progress.js'
import * as feedTimelineMail from './2026_12_02_0711_feed_timeline_mail.js'
import * as createCdcStreams from './2026_12_02_0720_create_cdc_streams.js'
import * as fullSyncPending from './2026_12_02_0721_full_sync_pending.js'
import * as cdcStreamHolder from './2026_12_03_0100_cdc_stream_holder.js'
import * as cdcMinutes from './2026_12_03_0101_cdc_minutes.js'
import * as feedReads from './2026_12_03_0300_feed_reads.js'
import * as userSalesforceLinks from './2026_12_04_0100_user_salesforce_links.js'
import * as lastModifiedBy from './2026_12_04_0300_last_modified_by.js'
import * as linkRevocations from './2026_12_05_h1601_link_revocations.js'
import * as dealAddMembersRule from './2026_12_06_d01_deal_add_members_rule.js'
import * as opportunityStages from './2026_12_07_s01_opportunity_stages.js'
import * as mailClaims from './2026_12_07_t01_mail_claims.js'
import * as cacheScopes from './2026_12_08_c01_cache_scopes.js'
import * as bellReadsOnly from './2026_12_08_c02_bell_reads_only.js'
import * as mailErrorTime from './2026_12_08_m101_mail_error_time.js'

export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_create_accounts': createAccounts,
  '2026_11_28_0002_create_crm_cache': createCrmCache,
  '2026_11_28_0003_create_sync': createSync,
  '2026_11_28_0100_create_opportunity_members': createOpportunityMembers,
  '2026_11_28_0101_index_opportunity_lists': indexOpportunityLists,
  '2026_11_28_0110_notify_changes': notifyChanges,
  '2026_11_28_0120_key_index_mode': keyIndexMode,
  '2026_11_28_0130_bulk_resume': bulkResume,
  '2026_12_01_0300_create_identity': createIdentity,
  '2026_12_01_0600_create_feed': createFeed,
  '2026_12_01_0601_feed_mentions_files': feedMentionsFiles,
  '2026_12_01_0602_notifications': notifications,
  '2026_12_01_0800_create_portal_edits': createPortalEdits,
  '2026_12_01_0901_sync_run_job': syncRunJob,
  '2026_12_02_0700_sort_name_upper': sortNameUpper,
  '2026_12_02_0701_live_events': liveEvents,
  '2026_12_02_0710_sync_run_progress': syncRunProgress,
  '2026_12_02_0711_feed_timeline_mail': feedTimelineMail,
  '2026_12_02_0720_create_cdc_streams': createCdcStreams,
  '2026_12_02_0721_full_sync_pending': fullSyncPending,
  '2026_12_03_0100_cdc_stream_holder': cdcStreamHolder,
  '2026_12_03_0101_cdc_minutes': cdcMinutes,
  '2026_12_03_0300_feed_reads': feedReads,
  '2026_12_04_0100_user_salesforce_links': userSalesforceLinks,
  '2026_12_04_0300_last_modified_by': lastModifiedBy,
  '2026_12_05_h1601_link_revocations': linkRevocations,
  '2026_12_06_d01_deal_add_members_rule': dealAddMembersRule,
  '2026_12_07_s01_opportunity_stages': opportunityStages,
  '2026_12_07_t01_mail_claims': mailClaims,
  '2026_12_08_c01_cache_scopes': cacheScopes,
  '2026_12_08_c02_bell_reads_only': bellReadsOnly,
  '2026_12_08_m101_mail_error_time': mailErrorTime,
}
